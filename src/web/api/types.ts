// Shapes of the HTTP contract (ARCHITECTURE.md §4) as the client reads them.
// Field and module shapes mirror src/server/catalogs/routes.ts (`fieldOut`, `moduleOut`).
import type { CatalogItem } from '../../catalogs/types';
import type { Cond, FieldType, ModuleGroup, SectionDef, Values } from '../../modules/types';

export type { CatalogItem, Cond, FieldType, ModuleGroup, SectionDef, Values };

export interface FieldOut {
  key: string;
  label: string;
  type: FieldType;
  catalog: string | null;
  required: boolean | 'condicional';
  requiredWhen?: Cond;
  section: string;
  help: string | null;
  min?: number;
  max?: number;
  step?: number;
  minLength?: number;
  maxLength?: number;
  sumOf?: string[];
  notBefore?: string;
  notAbove?: string;
  notAfterToday?: boolean;
  exclusive?: string[];
  denyCodes?: string[];
  allowCodes?: string[];
  stateField?: string;
  files?: { maxFiles: number; kinds: string[]; maxMb: number };
  otro?: boolean;
  sensitivity?: 'P' | 'S';
}

export interface ModuleOut {
  key: string;
  number: number;
  name: string;
  group: string;
  groupKey: ModuleGroup;
  folioPrefix: string;
  description: string;
  mainDate: string;
  formNote: string | null;
  sections: SectionDef[];
  listColumns: string[];
  fields: FieldOut[];
  metadata: string[];
  metadataFields: FieldOut[];
  example: Values;
}

export type Role = 'administrador' | 'validador' | 'validador_estatal' | 'enlace' | 'consulta' | 'auditor';

export interface User {
  id: string;
  username: string;
  nombre: string | null;
  role: Role;
  institucion_id: string;
  institucion_nombre: string;
  ambito: 'FEDERAL' | 'ESTATAL' | 'MUNICIPAL';
  /** The state of a state or municipal institution. */
  institucion_entidad?: string | null;
  entidad: string | null;
  scope: 'nacional' | 'estatal' | 'institucional' | 'ninguno';
}

export interface Session {
  user: User;
  mustChangePassword: boolean;
  mfaEnrollmentRequired: boolean;
  ambiente?: 'produccion' | 'capacitacion';
  /** Absolute end of the session (ISO, server clock). */
  expiresAt?: string | null;
  /** When the session ends if nothing more reaches the server (ISO, server clock). */
  idleExpiresAt?: string | null;
  /** The server's clock when it answered, to place the two deadlines on the browser's clock. */
  serverTime?: string;
  idleTimeoutSec?: number;
}

export interface Health {
  status: string;
  database: string;
  ambiente: 'produccion' | 'capacitacion';
  version: string;
}

export interface Issue {
  field: string;
  message: string;
}

export type Estatus = 'borrador' | 'enviado' | 'validado' | 'devuelto';

/** A record as the API returns it: flat metadata and field keys. */
export type RecordOut = Values & {
  id: string;
  folio_sintra: string;
  institucion_id: string;
  estatus: Estatus;
  version: number;
  created_at: string;
  updated_at: string;
  pending?: Issue[];
  warnings?: Issue[];
  /** Display helpers of GET record: user id → name for the *_by ids, attachment id → details. */
  usuarios?: Record<string, string>;
  adjuntos?: Record<string, { name: string; size: number; type: string }>;
};

export interface ListOut {
  items: RecordOut[];
  nextCursor: string | null;
  total: number;
}

export interface CatalogOut {
  name?: string;
  title?: string;
  items: CatalogItem[];
}

export interface StatsOut {
  rows: string;
  cols: string | null;
  cells: { row: string; col: string | null; value: number | string }[];
  rowTotals: Record<string, number | string>;
  colTotals: Record<string, number | string> | null;
  total: number | string;
  records: number | string | null;
  notes: string[];
  /** Code labels and display order given by the server (statistics engine). */
  labels?: { rows: Record<string, string>; cols: Record<string, string> };
  order?: { rows: string[]; cols: string[] };
  /** Names of the dimensions, for table headers. */
  titles?: { rows: string; cols: string | null };
  /** Whether a dimension is multi-choice (the total counts mentions). */
  multi?: boolean;
  /** Disclosure control applied to these figures; null when they are exact. */
  suppression?: { threshold: number; primary: number; complementary: number; withheld: boolean } | null;
}

export interface Attachment {
  id: string;
  name: string;
  size: number;
  type: string;
}
