CREATE TABLE "pn_accion" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estrategia_id" uuid NOT NULL,
	"numero" varchar(16) NOT NULL,
	"codigo" varchar(32) NOT NULL,
	"texto" text NOT NULL,
	"tipo_accion" varchar(200),
	"institucion_coordinadora" varchar(64),
	"instituciones_responsables" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "pn_accion_codigo_unique" UNIQUE("codigo")
);
--> statement-breakpoint
CREATE TABLE "pn_estrategia" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"objetivo_id" uuid NOT NULL,
	"numero" varchar(16) NOT NULL,
	"texto" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pn_meta" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"objetivo_id" uuid NOT NULL,
	"tipo" varchar(20) NOT NULL,
	"nombre" text NOT NULL,
	"formula_texto" text,
	"linea_base_valor" numeric(12, 4),
	"linea_base_anio" integer,
	"meta_valor" numeric(12, 4),
	"meta_anio" integer,
	"periodicidad" varchar(20),
	"indicador_sintra" varchar(8)
);
--> statement-breakpoint
CREATE TABLE "pn_objetivo" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programa_id" uuid NOT NULL,
	"numero" integer NOT NULL,
	"texto" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pn_programa" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clave" varchar(16) NOT NULL,
	"nombre" text NOT NULL,
	"periodo_inicio" date NOT NULL,
	"periodo_fin" date NOT NULL,
	"fecha_publicacion_dof" date,
	"url_dof" varchar(500),
	"etiquetas_niveles" text[] DEFAULT '{Objetivo prioritario,Estrategia prioritaria,Acción puntual}'::text[] NOT NULL,
	"vigente" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pn_programa_clave_unique" UNIQUE("clave")
);
--> statement-breakpoint
CREATE TABLE "report_job" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"anio" integer NOT NULL,
	"snapshot_id" uuid,
	"estado" varchar(16) DEFAULT 'en_proceso' NOT NULL,
	"progreso" integer DEFAULT 0 NOT NULL,
	"etapa" text,
	"error" text,
	"docx" "bytea",
	"pdf" "bytea",
	"figuras_sha256" varchar(64),
	"duracion_ms" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_snapshot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"anio" integer NOT NULL,
	"periodo_desde" date NOT NULL,
	"periodo_hasta" date NOT NULL,
	"fecha_corte" date NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"conteos" jsonb NOT NULL,
	"tablas" jsonb NOT NULL,
	"sha256" varchar(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_snapshot_record" (
	"snapshot_id" uuid NOT NULL,
	"module" varchar(64) NOT NULL,
	"record_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "report_snapshot_record_snapshot_id_module_record_id_pk" PRIMARY KEY("snapshot_id","module","record_id")
);
--> statement-breakpoint
ALTER TABLE "pn_accion" ADD CONSTRAINT "pn_accion_estrategia_id_pn_estrategia_id_fk" FOREIGN KEY ("estrategia_id") REFERENCES "public"."pn_estrategia"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pn_estrategia" ADD CONSTRAINT "pn_estrategia_objetivo_id_pn_objetivo_id_fk" FOREIGN KEY ("objetivo_id") REFERENCES "public"."pn_objetivo"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pn_meta" ADD CONSTRAINT "pn_meta_objetivo_id_pn_objetivo_id_fk" FOREIGN KEY ("objetivo_id") REFERENCES "public"."pn_objetivo"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pn_objetivo" ADD CONSTRAINT "pn_objetivo_programa_id_pn_programa_id_fk" FOREIGN KEY ("programa_id") REFERENCES "public"."pn_programa"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_job" ADD CONSTRAINT "report_job_snapshot_id_report_snapshot_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."report_snapshot"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_snapshot_record" ADD CONSTRAINT "report_snapshot_record_snapshot_id_report_snapshot_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."report_snapshot"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pn_accion_estrategia_idx" ON "pn_accion" USING btree ("estrategia_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pn_estrategia_num_uq" ON "pn_estrategia" USING btree ("objetivo_id","numero");--> statement-breakpoint
CREATE UNIQUE INDEX "pn_objetivo_num_uq" ON "pn_objetivo" USING btree ("programa_id","numero");--> statement-breakpoint
CREATE INDEX "report_snapshot_anio_idx" ON "report_snapshot" USING btree ("anio","taken_at");