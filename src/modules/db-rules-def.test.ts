// The definition checker over dbRules: every field, module and date a rule names must exist with the right type.
import { describe, expect, it } from 'vitest';
import { SPEC_CATALOGS } from '../catalogs/spec-catalogs.js';
import { definitionProblems } from './check.js';
import { MODULES } from './index.js';
import type { DbRule, ModuleDef } from './types.js';

const victimas = MODULES.find((m) => m.key === 'victimas')!;
const withRules = (m: ModuleDef, dbRules: DbRule[]): ModuleDef => ({ ...m, dbRules });

describe('dbRules in the definitions', () => {
  it('the real definitions declare the spec rules over other records, and they check clean', () => {
    const kinds = MODULES.flatMap((m) => (m.dbRules ?? []).map((r) => `${m.key}:${r.kind}:${r.field}:${r.level}`));
    expect(kinds.sort()).toEqual(
      [
        'comisiones:unique:clave_acuerdo:error',
        'convenios:not-only-own-institution:contraparte:error',
        'instrumentos:unique:nombre_instrumento:advertencia',
        'modelos_atencion:aggregate-comparison:victimas_total:advertencia',
        'unidades_especializadas:consistent:nombre_unidad:advertencia',
        'victimas:reference-count:operativo_id:advertencia',
        'victimas:reference-date-order:fecha_identificacion:error',
      ].sort(),
    );
    expect(definitionProblems(MODULES, SPEC_CATALOGS)).toEqual([]);
  });

  it('names a missing field, an unknown module, a wrong type and an empty key', () => {
    const bad = withRules(victimas, [
      { kind: 'unique', key: [], field: 'folio_persona', level: 'error', message: 'x' },
      { kind: 'unique', key: ['no_existe', { year: 'sexo' }], field: 'folio_persona', level: 'error', message: 'x' },
      { kind: 'reference-date-order', ref: 'operativo_id', date: 'fecha_identificacion', refModule: 'operativos', refDate: 'fecha_inicio', field: 'fecha_identificacion', level: 'error', message: 'x' },
      { kind: 'reference-count', ref: 'operativo_id', refModule: 'operativos_rescate', max: 'tipo_operativo', field: 'operativo_id', level: 'advertencia', message: 'x' },
      { kind: 'aggregate-comparison', field: 'sexo', otherModule: 'victimas', period: 'trimestre', statuses: [], tolerance: 0.2, level: 'advertencia', message: 'x' },
    ]);
    const problems = definitionProblems([...MODULES.filter((m) => m.key !== 'victimas'), bad], SPEC_CATALOGS);
    expect(problems).toEqual([
      'módulo victimas: regla con base de datos unique (folio_persona): clave vacía',
      'módulo victimas: regla con base de datos unique (folio_persona): campo inexistente victimas.no_existe',
      'módulo victimas: regla con base de datos unique (folio_persona): victimas.sexo debe ser de tipo fecha',
      'módulo victimas: regla con base de datos reference-date-order (fecha_identificacion): módulo inexistente operativos',
      'módulo victimas: regla con base de datos reference-count (operativo_id): operativos_rescate.tipo_operativo debe ser de tipo entero o decimal',
      'módulo victimas: regla con base de datos aggregate-comparison (sexo): victimas.sexo debe ser de tipo entero o decimal',
      'módulo victimas: regla con base de datos aggregate-comparison (sexo): sin estatus que contar',
    ]);
  });
});
