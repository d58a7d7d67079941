// Catalog shapes shared by server and web client (no runtime dependencies).

export interface CatalogItem {
  code: string;
  label: string;
  /** Display group (e.g. grupo_edad NNA/Adulta, institucion CI_INTEGRANTE). */
  group?: string;
  /** Excluyente: cannot be combined with other codes in a multi-choice. */
  exclusive?: boolean;
  /** Validity window (YYYY-MM-DD); a code outside it is readable but not accepted for new values. */
  validFrom?: string;
  validTo?: string;
  /** Parent code (municipio -> entidad). */
  parent?: string;
  /** Any further property the spec gives (e.g. tipo_material `physical`, fundamento). */
  [extra: string]: unknown;
}

export interface CatalogDef {
  /** Lowercase spec name, e.g. `modalidad_explotacion`. */
  name: string;
  /** Spanish title. */
  title: string;
  /** Official catalogs (INEGI, ISO, LG) are only changed by loading a new edition. */
  official?: boolean;
  /** Where the values come from (law article, INEGI edition…). */
  source?: string;
  items: CatalogItem[];
}
