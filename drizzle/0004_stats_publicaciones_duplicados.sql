CREATE TABLE "posible_duplicado" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"registro_a" uuid NOT NULL,
	"registro_b" uuid NOT NULL,
	"criterio" varchar(16) NOT NULL,
	"dias_diferencia" integer,
	"estatus" varchar(16) DEFAULT 'pendiente' NOT NULL,
	"detectado_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revisado_at" timestamp with time zone,
	"revisado_by" uuid,
	"nota" text,
	CONSTRAINT "posible_duplicado_par" UNIQUE("registro_a","registro_b")
);
--> statement-breakpoint
CREATE TABLE "publicacion" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"periodo" varchar(8) NOT NULL,
	"anio" integer NOT NULL,
	"trimestre" integer,
	"desde" date NOT NULL,
	"hasta" date NOT NULL,
	"version" integer NOT NULL,
	"umbral" integer NOT NULL,
	"contenido" jsonb NOT NULL,
	"publicada_at" timestamp with time zone DEFAULT now() NOT NULL,
	"publicada_by" uuid,
	CONSTRAINT "publicacion_periodo_version" UNIQUE("periodo","version")
);
--> statement-breakpoint
CREATE TABLE "tarea_programada" (
	"nombre" varchar(64) PRIMARY KEY NOT NULL,
	"ultima_ejecucion" timestamp with time zone NOT NULL,
	"resultado" text
);
--> statement-breakpoint
CREATE TABLE "victima_duplicada" (
	"record_id" uuid PRIMARY KEY NOT NULL,
	"representante_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE INDEX "posible_duplicado_estatus_idx" ON "posible_duplicado" USING btree ("estatus","id");--> statement-breakpoint
CREATE INDEX "posible_duplicado_b_idx" ON "posible_duplicado" USING btree ("registro_b");--> statement-breakpoint
CREATE INDEX "m_victimas_stats_idx" ON "m_victimas" USING btree ("condicion","fecha_principal") WHERE deleted_at is null and estatus in ('enviado', 'validado');--> statement-breakpoint
CREATE INDEX "m_victimas_dup_idx" ON "m_victimas" USING btree ("sexo","nacionalidad","fecha_identificacion") WHERE deleted_at is null and estatus in ('enviado', 'validado');