CREATE INDEX "audit_user_idx" ON "audit_log" USING btree ("username","id");--> statement-breakpoint
CREATE INDEX "audit_inst_idx" ON "audit_log" USING btree ("institucion_id","id");--> statement-breakpoint
CREATE INDEX "audit_action_idx" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
-- The audit trail is append-only for everyone, the table owner included: an UPDATE, DELETE or TRUNCATE
-- fails. Only someone who can disable triggers (a superuser or the owner, on purpose) gets past this, and
-- the hash chain (`sintra audit verify`) then shows which entry was altered or removed.
CREATE OR REPLACE FUNCTION sintra_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'La bitácora de auditoría solo admite agregar entradas: % no está permitido.', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION sintra_audit_append_only();--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION sintra_audit_append_only();--> statement-breakpoint
-- The application role (least privilege, row-level security) may only read and append.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sintra_app') THEN
    EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM sintra_app';
  END IF;
END
$$;
