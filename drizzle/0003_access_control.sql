CREATE TABLE "rate_limit" (
	"bucket" varchar(32) NOT NULL,
	"key" varchar(128) NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_bucket_key_window_start_pk" PRIMARY KEY("bucket","key","window_start")
);
--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "mfa_last_step" bigint;
--> statement-breakpoint
-- Row-level security, defence in depth behind recordScope() (ARCHITECTURE §5). Each request that reads or
-- writes records runs its transaction as the non-superuser role sintra_app (SET LOCAL ROLE) with its scope
-- in transaction-local settings (sintra.scope, sintra.institution, sintra.state): see Db.tx in
-- src/server/db/client.ts and dbScope() in src/server/records/scope.ts. Superusers and the tables owner
-- (migrations, CLI, sign-in) are not subject to these policies. Roles are cluster-wide on PostgreSQL, so
-- several databases of one server share sintra_app: create it only once, tolerating a concurrent creation.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sintra_app') THEN
    CREATE ROLE sintra_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;--> statement-breakpoint
-- A login that is not a superuser must be a member of sintra_app to SET ROLE to it.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT sintra_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO sintra_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sintra_app;--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO sintra_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sintra_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO sintra_app;--> statement-breakpoint
-- Least privilege: request transactions never need sessions or password hashes, and only append to the audit trail.
REVOKE ALL ON "session" FROM sintra_app;--> statement-breakpoint
REVOKE ALL ON "app_user" FROM sintra_app;--> statement-breakpoint
GRANT SELECT ("id", "username", "nombre", "role", "institucion_id", "entidad", "active") ON "app_user" TO sintra_app;--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM sintra_app;--> statement-breakpoint
-- Whether the transaction's scope reaches a row of institution inst. Scopes: nacional (Secretaría Técnica),
-- estatal (its institution plus the state and municipal institutions of its state), institucional (its
-- institution), agregado (aggregated statistics over every institution: read only), anything else: nothing.
-- One policy per command, so that the read-only reach of agregado never lets an UPDATE or DELETE through.
CREATE OR REPLACE FUNCTION sintra_alcanza(inst varchar, escritura boolean) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT CASE coalesce(current_setting('sintra.scope', true), '')
    WHEN 'nacional' THEN true
    WHEN 'agregado' THEN NOT escritura
    WHEN 'institucional' THEN inst = current_setting('sintra.institution', true)
    WHEN 'estatal' THEN inst = current_setting('sintra.institution', true)
      OR EXISTS (SELECT 1 FROM institucion i WHERE i.codigo = inst AND i.entidad = current_setting('sintra.state', true) AND i.ambito IN ('ESTATAL', 'MUNICIPAL'))
    ELSE false
  END
$$;--> statement-breakpoint
ALTER TABLE "m_instrumentos" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_instrumentos" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_instrumentos" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_instrumentos" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_instrumentos" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_convenios" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_convenios" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_convenios" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_convenios" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_convenios" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_avances_legislativos" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_avances_legislativos" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_avances_legislativos" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_avances_legislativos" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_avances_legislativos" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_comisiones" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_comisiones" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_comisiones" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_comisiones" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_comisiones" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_colaboracion_internacional" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_colaboracion_internacional" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_colaboracion_internacional" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_colaboracion_internacional" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_colaboracion_internacional" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_capacitacion" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_capacitacion" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_capacitacion" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_capacitacion" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_capacitacion" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_difusion" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_difusion" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_difusion" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_difusion" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_difusion" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_materiales_difusion" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_materiales_difusion" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_materiales_difusion" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_materiales_difusion" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_materiales_difusion" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_victimas" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_victimas" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_victimas" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_victimas" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_victimas" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_modelos_atencion" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_modelos_atencion" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_modelos_atencion" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_modelos_atencion" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_modelos_atencion" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_unidades_especializadas" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_unidades_especializadas" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_unidades_especializadas" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_unidades_especializadas" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_unidades_especializadas" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "m_operativos_rescate" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "m_operativos_rescate" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "m_operativos_rescate" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "m_operativos_rescate" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "m_operativos_rescate" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));--> statement-breakpoint
ALTER TABLE "attachment" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sintra_leer" ON "attachment" FOR SELECT TO sintra_app USING (sintra_alcanza("institucion_id", false));--> statement-breakpoint
CREATE POLICY "sintra_agregar" ON "attachment" FOR INSERT TO sintra_app WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_modificar" ON "attachment" FOR UPDATE TO sintra_app USING (sintra_alcanza("institucion_id", true)) WITH CHECK (sintra_alcanza("institucion_id", true));--> statement-breakpoint
CREATE POLICY "sintra_eliminar" ON "attachment" FOR DELETE TO sintra_app USING (sintra_alcanza("institucion_id", true));
