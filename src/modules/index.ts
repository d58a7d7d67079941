import type { FieldDef, ModuleDef } from './types.js';
import { instrumentos } from './instrumentos.js';
import { convenios } from './convenios.js';
import { avancesLegislativos } from './avances_legislativos.js';
import { comisiones } from './comisiones.js';
import { colaboracionInternacional } from './colaboracion_internacional.js';
import { capacitacion } from './capacitacion.js';
import { difusion } from './difusion.js';
import { materialesDifusion } from './materiales_difusion.js';
import { victimas } from './victimas.js';
import { modelosAtencion } from './modelos_atencion.js';
import { unidadesEspecializadas } from './unidades_especializadas.js';
import { operativosRescate } from './operativos_rescate.js';

/** The 12 modules in the seed's order. */
export const MODULES: readonly ModuleDef[] = [
  instrumentos,
  convenios,
  avancesLegislativos,
  comisiones,
  colaboracionInternacional,
  capacitacion,
  difusion,
  materialesDifusion,
  victimas,
  modelosAtencion,
  unidadesEspecializadas,
  operativosRescate,
];

const byKey = new Map(MODULES.map((m) => [m.key, m]));

export function getModule(key: string): ModuleDef | undefined {
  return byKey.get(key);
}

export function getField(m: ModuleDef, key: string): FieldDef | undefined {
  return m.fields.find((f) => f.key === key);
}

export type { ModuleDef, FieldDef } from './types.js';
