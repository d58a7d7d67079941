import type { CatalogDef, CatalogItem } from '../../catalogs/types.js';
import type { CatalogLookup } from '../../modules/validate.js';
import type { Queryable } from '../db/client.js';

export const REFERENCE_CATALOGS = ['operativo_ref', 'material_ref', 'instrumento_ref'] as const;

interface Loaded {
  def: Omit<CatalogDef, 'items'>;
  items: CatalogItem[];
  byCode: Map<string, CatalogItem>;
}

/**
 * In-memory catalogs used by validation (synchronous) and served by /api/v1/catalogs.
 * Spec catalogs live in the `catalogo` table (editable by the Secretaría Técnica), institutions
 * in `institucion`, and the official territorial catalogs come from the INEGI/ISO files.
 */
export class CatalogRegistry implements CatalogLookup {
  private readonly cats = new Map<string, Loaded>();

  set(def: CatalogDef): void {
    const { items, ...rest } = def;
    this.cats.set(def.name, { def: rest, items, byCode: new Map(items.map((i) => [i.code, i])) });
  }

  item(catalog: string, code: string): CatalogItem | undefined {
    return this.cats.get(catalog)?.byCode.get(code);
  }

  isReference(catalog: string): boolean {
    return (REFERENCE_CATALOGS as readonly string[]).includes(catalog);
  }

  has(catalog: string): boolean {
    return this.cats.has(catalog) || this.isReference(catalog);
  }

  get(catalog: string): Loaded | undefined {
    return this.cats.get(catalog);
  }

  names(): string[] {
    return [...this.cats.keys(), ...REFERENCE_CATALOGS];
  }

  label(catalog: string, code: string): string {
    return this.item(catalog, code)?.label ?? code;
  }

  /** Reloads the database-held catalogs (spec catalogs and institutions). */
  async reload(db: Queryable, base: { spec: CatalogDef[]; territory: CatalogDef[] }): Promise<void> {
    for (const t of base.territory) this.set(t);
    const rows = await db.query<{
      nombre: string;
      codigo: string;
      etiqueta: string;
      grupo: string | null;
      excluyente: boolean;
      vigente_desde: string | null;
      vigente_hasta: string | null;
      padre_codigo: string | null;
      extra: string | null;
    }>('select * from catalogo order by nombre, orden, codigo');
    const byName = new Map<string, CatalogItem[]>();
    for (const r of rows) {
      const item: CatalogItem = { ...(r.extra ? (JSON.parse(r.extra) as object) : {}), code: r.codigo, label: r.etiqueta };
      if (r.grupo) item.group = r.grupo;
      if (r.excluyente) item.exclusive = true;
      if (r.vigente_desde) item.validFrom = r.vigente_desde;
      if (r.vigente_hasta) item.validTo = r.vigente_hasta;
      if (r.padre_codigo) item.parent = r.padre_codigo;
      const list = byName.get(r.nombre) ?? [];
      list.push(item);
      byName.set(r.nombre, list);
    }
    for (const def of base.spec) {
      if (def.name === 'institucion') continue;
      this.set({ ...def, items: byName.get(def.name) ?? def.items });
    }
    const inst = await db.query<{ codigo: string; nombre: string; siglas: string | null; ambito: string; entidad: string | null; municipio: string | null; grupo: string | null; vigente: boolean }>(
      'select codigo, nombre, siglas, ambito, entidad, municipio, grupo, vigente from institucion order by grupo nulls last, codigo',
    );
    const instDef = base.spec.find((d) => d.name === 'institucion');
    this.set({
      name: 'institucion',
      title: instDef?.title ?? 'Institución',
      items: inst.map((i) => ({
        code: i.codigo,
        label: i.nombre,
        ...(i.grupo ? { group: i.grupo } : {}),
        ambito: i.ambito,
        ...(i.siglas ? { siglas: i.siglas } : {}),
        ...(i.entidad ? { entidad: i.entidad } : {}),
        ...(i.municipio ? { municipio: i.municipio } : {}),
        ...(i.vigente ? {} : { validTo: '1900-01-01' }),
      })),
    });
  }
}

/** Seeds the spec catalogs into the `catalogo` table without touching values the ST has edited. */
export async function seedCatalogs(db: Queryable, spec: CatalogDef[]): Promise<void> {
  for (const def of spec) {
    if (def.name === 'institucion') continue;
    const params: unknown[] = [];
    const tuples: string[] = [];
    def.items.forEach((it, i) => {
      const { code, label, group, exclusive, validFrom, validTo, parent, ...extra } = it;
      const b = params.length;
      tuples.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9},$${b + 10})`);
      params.push(def.name, code, label, i, group ?? null, exclusive === true, validFrom ?? null, validTo ?? null, parent ?? null, Object.keys(extra).length ? JSON.stringify(extra) : null);
    });
    if (!tuples.length) continue;
    await db.query(
      `insert into catalogo (nombre, codigo, etiqueta, orden, grupo, excluyente, vigente_desde, vigente_hasta, padre_codigo, extra)
       values ${tuples.join(',')} on conflict (nombre, codigo) do nothing`,
      params,
    );
  }
}
