// Synthetic victim records (module 9) with realistic mixes of every catalog, for the statistics tests
// (hundreds of rows) and `npm run bench` (a million). Mixes follow public figures where there are some
// (CNDH 2019: most victims are women and girls, sexual exploitation first; SESNSP: states' shares) and are
// plausible elsewhere. Every record satisfies the module's rules, so any of them can also be sent through
// the API; `legacy` rows (only for direct inserts) carry an age group that disagrees with the recorded age,
// as rows loaded before the rule existed would, to prove that tables derive the group from the age.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Queryable } from '../src/server/db/client.js';

export type Fate = 'borrador' | 'enviado' | 'validado' | 'devuelto' | 'eliminado';

export interface Institution {
  codigo: string;
  ambito: 'FEDERAL' | 'ESTATAL' | 'MUNICIPAL';
  entidad: string | null;
  municipio?: string | null;
}

export interface Victim {
  values: Record<string, unknown>;
  fate: Fate;
  /** Only for direct inserts (the age group disagrees with the age). */
  legacy?: boolean;
}

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same dataset. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  // Cumulative weights are computed once per table of weights (the generator draws millions of values).
  const cache = new WeakMap<object, { keys: string[]; cum: Float64Array; total: number }>();
  const weighted = <T extends string>(w: Readonly<Record<T, number>>): T => {
    let c = cache.get(w);
    if (!c) {
      const keys = Object.keys(w);
      const cum = new Float64Array(keys.length);
      let t = 0;
      keys.forEach((k, i) => (cum[i] = t += (w as Record<string, number>)[k]));
      c = { keys, cum, total: t };
      cache.set(w, c);
    }
    const x = next() * c.total;
    let lo = 0;
    let hi = c.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return c.keys[lo] as T;
  };
  /** k distinct values drawn by weight. */
  const some = <T extends string>(w: Readonly<Record<T, number>>, k: number): T[] => {
    const out = new Set<T>();
    let guard = 0;
    while (out.size < k && guard++ < 50) out.add(weighted(w));
    return [...out];
  };
  return { next, pick, weighted, some, chance: (p: number) => next() < p, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}
export type Rng = ReturnType<typeof rng>;

const STATES = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));
const EVEN_STATES: Record<string, number> = Object.fromEntries(STATES.map((s) => [s, 1]));
/** Institutions a record may be referred to (all but its own), computed once per list. */
const referrals = new WeakMap<readonly Institution[], Map<string, string[]>>();
function referralsOf(list: readonly Institution[], own: string): string[] {
  let m = referrals.get(list);
  if (!m) referrals.set(list, (m = new Map()));
  let r = m.get(own);
  if (!r) m.set(own, (r = [...new Set(list.map((i) => i.codigo))].filter((c) => c !== own)));
  return r;
}

/** States' shares of SESNSP's trafficking victims (2015 – 2025), read from the bundled file when present. */
export function sesnspStateWeights(): Record<string, number> {
  const file = new URL('../datasets/sesnsp/db_victimas_delitos_ent_long_trata.csv', import.meta.url);
  const w: Record<string, number> = Object.fromEntries(STATES.map((s) => [s, 1]));
  if (!fs.existsSync(file)) return w;
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const head = lines[0].split(',');
  const ie = head.indexOf('cve_ent');
  const iv = head.indexOf('n_victimas');
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    const e = c[ie]?.padStart(2, '0');
    if (e in w) w[e] += Number(c[iv]) || 0;
  }
  return w;
}

const SEXO = { MUJER: 78, HOMBRE: 19, INTERSEXUAL: 0.4, NE: 2.6 } as const;
const NACIONALIDAD = { MEX: 82, GTM: 5, HND: 4, SLV: 2.4, VEN: 2, COL: 1.4, CUB: 0.8, NIC: 0.5, ECU: 0.4, HTI: 0.3, CHN: 0.2, USA: 0.2, XXX: 0.6, XXA: 0.2 } as const;
const MODALIDAD = {
  EXPLOTACION_SEXUAL: 60,
  EXPLOTACION_LABORAL: 15,
  TRABAJO_FORZADO: 6,
  MENDICIDAD_FORZOSA: 4,
  ACTIVIDADES_DELICTIVAS: 4,
  MATRIMONIO_FORZOSO: 3,
  CONDICION_SIERVO: 2,
  ESCLAVITUD: 1.5,
  ADOPCION_ILEGAL: 1,
  TRAFICO_ORGANOS: 0.3,
  EXPERIMENTACION_BIOMEDICA: 0.1,
} as const;
const ENGANCHE = {
  OFERTA_EMPLEO: 35,
  ENAMORAMIENTO: 20,
  FAMILIAR: 9,
  PROMESA_AYUDA: 8,
  OFERTA_TRASLADO: 6,
  MODELAJE_ARTISTICO: 3,
  DEUDA_PRESTAMO: 4,
  MATRIMONIO_ARREGLADO: 2,
  SUSTRACCION: 4,
  CAPTACION_PARES: 4,
  ADOPCION_IRREGULAR: 0.5,
  RECLUTAMIENTO_DELICTIVO: 3,
  OTRA: 1.5,
} as const;
const CONTACTO = { PRESENCIAL: 38, REDES_SOCIALES: 28, MENSAJERIA: 12, SITIO_WEB: 6, APP_CITAS: 3, VIDEOJUEGOS: 1, MEDIOS_TRADICIONALES: 2, AGENCIA: 4, TELEFONO: 4, OTRO: 2 } as const;
const COMISIVO = {
  ENGANO: 40,
  VIOLENCIA_FISICA: 12,
  VIOLENCIA_MORAL: 15,
  ABUSO_PODER: 6,
  VULNERABILIDAD: 10,
  DANO_GRAVE: 3,
  AMENAZA_MIGRATORIA: 3,
  FUERZA_COERCION: 4,
  ADICCIONES: 2,
  PRIVACION_LIBERTAD: 3,
  DEUDA: 4,
  RETENCION_DOCUMENTOS: 3,
} as const;
const ESPACIO_SEXUAL = { BAR_CANTINA: 25, CLUB_ADULTOS: 10, HOTEL_MOTEL: 25, INMUEBLE_ACONDICIONADO: 15, SALA_MASAJES: 6, ENTORNO_DIGITAL: 10, VIA_PUBLICA: 6, OTRO: 3 } as const;
const ESPACIO_LABORAL = { CAMPO_AGRICOLA: 30, FABRICA_TALLER: 20, DOMICILIO: 20, CONSTRUCCION: 8, MINA_LADRILLERA: 5, COMERCIO: 12, EMBARCACION: 2, OTRO: 3 } as const;
const TRANSPORTE = { AUTOBUS: 40, AUTO_PARTICULAR: 20, TAXI_PLATAFORMA: 5, CAMIONETA_VAN: 10, CAMION_CARGA: 5, TREN_CARGA: 3, AVION_COMERCIAL: 6, EMBARCACION: 1, A_PIE: 5, OTRO: 1 } as const;
const SERVICIOS = {
  ATENCION_MEDICA: 20,
  ATENCION_PSICOLOGICA: 25,
  ASESORIA_JURIDICA_PROCESO: 15,
  ORIENTACION_JURIDICA: 12,
  TRABAJO_SOCIAL: 10,
  ALOJ_REFUGIO: 6,
  ALOJ_ALBERGUE: 5,
  ASISTENCIA_HUMANITARIA: 5,
  ORIENTACION_MIGRATORIA: 3,
  INTERPRETACION: 1,
  DOCUMENTACION: 3,
  REGISTRO_VICTIMAS: 4,
  ACOMPANAMIENTO: 5,
  OTRO: 1,
} as const;
const MEDIDAS = { RESGUARDO_IDENTIDAD: 30, PROHIBICION_ACERCARSE: 15, PROTECCION_POLICIAL: 10, TRASLADO_REFUGIO: 10, AUXILIO_INMEDIATO: 10, CAMARA_GESELL: 5, ESTANCIA_HUMANITARIA: 5, OTRA: 2 } as const;
const PUNTO_SUR = { SUR_PUNTO_INTERNACION: 50, SUR_NO_HABILITADO: 45, NE: 5 } as const;
const PUNTO_NORTE = { NORTE_PUNTO_INTERNACION: 40, NORTE_NO_HABILITADO: 30, AEROPUERTO: 25, NE: 5 } as const;
const VIA = { DENUNCIA: 35, CANALIZACION: 20, OSC: 10, PRESENTACION_ESPONTANEA: 8, LINEA_DENUNCIA: 8, CONTROL_MIGRATORIO: 6, INSPECCION_LABORAL: 5, SERVICIOS_PUBLICOS: 4, CONSULADO: 2, OTRA: 2 } as const;
const SOUTH = new Set(['GTM', 'HND', 'SLV', 'NIC', 'ECU', 'VEN', 'COL', 'CUB', 'HTI']);

// Mixes used inline by victim(), declared once (the draws cache their cumulative weights).
const W1 = { VICTIMA: 70, POSIBLE_VICTIMA: 22, OFENDIDO: 8 } as const;
const W2 = { SI: 55, NO: 30, NS: 15 } as const;
const W3 = { NNA_SD: 8, ADULTO_SD: 12, NE: 5, E15_17: 3, E18_24: 4, E25_29: 2 } as const;
const W4 = { IRREGULAR: 35, VISITANTE_RAZONES_HUMANITARIAS: 25, SOLICITANTE_REFUGIO: 12, EN_REGULARIZACION: 8, RESIDENTE_TEMPORAL: 6, RESIDENTE_PERMANENTE: 3, VISITANTE_SIN_PERMISO: 5, VISITANTE_REGIONAL: 2, VISITANTE_TRABAJADOR_FRONTERIZO: 2, NE: 2 } as const;
const W5 = { MEX_EXTERIOR_IRREGULAR: 70, MEX_EXTERIOR_REGULAR: 25, NE: 5 } as const;
const W6 = { SI: 4, NO: 82, NS: 14 } as const;
const W7 = { SIN_ESCOLARIDAD: 50, PREESCOLAR: 40, NE: 10 } as const;
const W8 = { SIN_ESCOLARIDAD: 5, PRIMARIA: 28, SECUNDARIA: 35, MEDIA_SUPERIOR: 18, SUPERIOR: 6, POSGRADO: 0.5, NE: 7.5 } as const;
const W9 = { REPATRIACION_VOLUNTARIA: 30, PERMANECE: 50, EN_TRAMITE: 10, NO_APLICA: 10 } as const;
const W10 = { REPATRIACION_CONNACIONAL: 60, EN_TRAMITE: 20, PERMANECE: 20 } as const;
const W11 = { NO_APLICA: 70, RETORNO_NACIONAL: 20, PERMANECE: 10 } as const;
const W12 = { MUJER_CIS: 85, MUJER_TRANS: 10, NO_RESPONDE: 5 } as const;
const W13 = { HOMBRE_CIS: 80, HOMBRE_TRANS: 5, NO_BINARIA: 5, NE: 10 } as const;
const W14 = { SOLTERA: 95, NE: 5 } as const;
const W15 = { SOLTERA: 60, UNION_LIBRE: 15, CASADA: 10, SEPARADA: 5, DIVORCIADA: 3, VIUDA: 2, NE: 5 } as const;
const W16 = { INDIGENA: 85, AFROMEXICANA: 15 } as const;
const W17 = { ACOMPANADA: 40, SEPARADA: 20, NO_ACOMPANADA: 30, NE: 10 } as const;
const W18 = { PAREJA: 18, FAMILIAR: 12, CONOCIDO: 20, EMPLEADOR: 15, SERVIDOR_PUBLICO: 1, GRUPO_DELICTIVO: 8, DESCONOCIDO: 20, NE: 6 } as const;
const W19 = { EN_ATENCION: 45, CONCLUIDA: 20, REINCORPORADA: 8, RETORNADA: 5, CANALIZADA: 15, ABANDONO: 4, NE: 3 } as const;
const W20 = { SIN_RESOLUCION: 50, EN_TRAMITE: 25, OTORGADA_PARCIAL: 8, OTORGADA_TOTAL: 4, NEGADA: 3, NE: 10 } as const;

function grupoDeEdad(edad: number): string {
  if (edad <= 5) return 'E00_05';
  if (edad <= 11) return 'E06_11';
  if (edad <= 14) return 'E12_14';
  if (edad <= 17) return 'E15_17';
  if (edad <= 24) return 'E18_24';
  if (edad <= 29) return 'E25_29';
  if (edad <= 39) return 'E30_39';
  if (edad <= 49) return 'E40_49';
  if (edad <= 59) return 'E50_59';
  return 'E60_MAS';
}
const NNA = ['E00_05', 'E06_11', 'E12_14', 'E15_17', 'NNA_SD'];

export interface GenOptions {
  seed: number;
  /** Identification dates, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  institutions: readonly Institution[];
  /** Municipalities by state (INEGI keys), for municipio_origen / municipio_destino. */
  municipios: Readonly<Record<string, readonly string[]>>;
  stateWeights?: Readonly<Record<string, number>>;
  fates?: Readonly<Record<Fate, number>>;
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** One realistic, valid victim record. */
export function victim(r: Rng, o: GenOptions, overrides: { edad?: number | null; grupo_edad?: string; condicion?: string; fecha?: string; institucion?: Institution } = {}): Record<string, unknown> {
  const states = o.stateWeights ?? EVEN_STATES;
  const state = () => r.weighted(states as Record<string, number>);
  const t0 = Date.parse(o.from);
  const t1 = Date.parse(o.to);
  const fecha = overrides.fecha ?? iso(t0 + Math.floor(r.next() * ((t1 - t0) / DAY + 1)) * DAY);
  const inst = overrides.institucion ?? r.pick(o.institutions);
  const condicion = overrides.condicion ?? r.weighted(W1);
  const denuncia = r.weighted(W2);
  const sexo = r.weighted(SEXO);
  // Age: recorded in 70% of cases; otherwise only a group (or unknown).
  let edad: number | null;
  let grupo: string;
  if (overrides.edad !== undefined || overrides.grupo_edad !== undefined) {
    edad = overrides.edad ?? null;
    grupo = overrides.grupo_edad ?? (edad === null ? 'NE' : grupoDeEdad(edad));
  } else if (r.chance(0.7)) {
    edad = r.chance(0.27) ? r.int(3, 17) : r.chance(0.85) ? r.int(18, 40) : r.int(41, 75);
    grupo = grupoDeEdad(edad);
  } else {
    edad = null;
    grupo = r.weighted(W3);
  }
  const nna = NNA.includes(grupo);
  const adult = !nna && grupo !== 'NE';
  const nacionalidad = r.weighted(NACIONALIDAD);
  const paisOrigen = nacionalidad === 'XXA' ? 'XXX' : r.chance(0.95) ? nacionalidad : nacionalidad === 'MEX' ? 'USA' : 'MEX';
  const entidadOrigen = paisOrigen === 'MEX' ? (r.chance(0.03) ? '99' : state()) : null;
  const munOrigen = entidadOrigen && entidadOrigen !== '99' && r.chance(0.5) ? r.pick(o.municipios[entidadOrigen] ?? [`${entidadOrigen}999`]) : null;
  // Route: most victims are exploited in Mexico; some Mexicans abroad (United States).
  const paisCaptacion = r.chance(0.02) ? 'XXX' : paisOrigen === 'XXX' ? 'MEX' : paisOrigen;
  const paisDestino = r.chance(0.015) ? 'XXX' : nacionalidad === 'MEX' && r.chance(0.05) ? 'USA' : r.chance(0.01) ? 'CAN' : 'MEX';
  const entidadCaptacion = paisCaptacion === 'MEX' ? (entidadOrigen && entidadOrigen !== '99' && r.chance(0.7) ? entidadOrigen : r.chance(0.03) ? '99' : state()) : null;
  const entidadDestino = paisDestino === 'MEX' ? (r.chance(0.02) ? '99' : state()) : null;
  const munDestino = entidadDestino && entidadDestino !== '99' && r.chance(0.5) ? r.pick(o.municipios[entidadDestino] ?? [`${entidadDestino}999`]) : null;
  const known = paisCaptacion !== 'XXX' && paisDestino !== 'XXX';
  const cruce = known && paisCaptacion !== paisDestino ? 'SI' : known ? (r.chance(0.97) ? 'NO' : 'NS') : 'NS';
  let paisesTransito: string[] = [];
  let tipoTransito: string | null = null;
  let punto: string | null = null;
  if (cruce === 'SI') {
    if (paisDestino === 'MEX') tipoTransito = 'INGRESO_MX';
    else if (paisCaptacion === 'MEX') tipoTransito = 'SALIDA_MX';
    else {
      tipoTransito = 'TRANSITO_MX';
      paisesTransito = ['MEX'];
    }
    if (SOUTH.has(paisCaptacion) && paisDestino === 'MEX' && r.chance(0.4) && paisCaptacion !== 'GTM') paisesTransito = ['GTM'];
    punto = tipoTransito === 'INGRESO_MX' ? r.weighted(PUNTO_SUR) : r.weighted(PUNTO_NORTE);
  }
  const entidadesTransito =
    entidadCaptacion && entidadDestino && entidadCaptacion !== entidadDestino && r.chance(0.4)
      ? r.some(states as Record<string, number>, r.int(1, 3)).filter((e) => e !== entidadCaptacion && e !== entidadDestino)
      : [];
  const noDeterminada = condicion !== 'VICTIMA' && r.chance(0.3);
  const modalidades = noDeterminada ? ['NO_DETERMINADA'] : r.some(MODALIDAD, r.chance(0.15) ? 2 : 1);
  const sexual = modalidades.includes('EXPLOTACION_SEXUAL');
  const calidad =
    nacionalidad !== 'MEX'
      ? r.weighted(W4)
      : paisDestino !== 'MEX'
        ? r.weighted(W5)
        : r.chance(0.8)
          ? 'NO_APLICA'
          : null;
  const discapacidad = r.chance(0.73) ? r.weighted(W6) : null;
  const escolaridad = r.chance(0.7)
    ? grupo === 'E00_05'
      ? r.weighted(W7)
      : r.weighted(W8)
    : null;
  const repatriacion =
    nacionalidad !== 'MEX' && nacionalidad !== 'XXX' && nacionalidad !== 'XXA'
      ? r.weighted(W9)
      : nacionalidad === 'MEX' && paisDestino !== 'MEX' && paisDestino !== 'XXX'
        ? r.weighted(W10)
        : r.weighted(W11);
  const instCodes = referralsOf(o.institutions, inst.codigo);
  const anio = Number(fecha.slice(0, 4));
  const trimestre = Math.floor((Number(fecha.slice(5, 7)) - 1) / 3) + 1;
  const entidadFed = inst.ambito === 'FEDERAL' ? (r.chance(0.85) ? state() : null) : inst.entidad;
  const noCom = !adult && (nna || discapacidad === 'SI');
  return {
    institucion_id: inst.codigo,
    ambito: inst.ambito,
    entidad_federativa: entidadFed,
    municipio: inst.ambito === 'MUNICIPAL' ? (inst.municipio ?? `${inst.entidad}999`) : null,
    periodo_anio: anio,
    periodo_trimestre: trimestre,
    pn_acciones: [],
    folio_persona: null,
    condicion,
    fecha_identificacion: fecha,
    via_identificacion: r.weighted(VIA),
    operativo_id: null,
    denuncia_carpeta: denuncia,
    sexo,
    identidad_genero: r.chance(0.2) ? (sexo === 'MUJER' ? r.weighted(W12) : r.weighted(W13)) : null,
    edad,
    grupo_edad: grupo,
    estado_civil: nna && (edad ?? 15) < 15 ? r.weighted(W14) : r.weighted(W15),
    nacionalidad,
    pais_origen: paisOrigen,
    entidad_origen: entidadOrigen,
    municipio_origen: munOrigen,
    autoadscripcion: r.chance(0.3) ? (r.chance(0.35) ? ['NINGUNA'] : r.chance(0.15) ? ['NE'] : r.chance(0.05) ? ['INDIGENA', 'AFROMEXICANA'] : [r.weighted(W16)]) : [],
    discapacidad,
    escolaridad,
    calidad_migratoria: calidad,
    acompanamiento_nna: nna ? r.weighted(W17) : adult ? 'NO_APLICA' : r.chance(0.5) ? 'NO_APLICA' : null,
    modalidades,
    tipos_penales: denuncia === 'SI' && r.chance(0.6) ? r.some({ ART10: 10, ART13: sexual ? 30 : 2, ART21: sexual ? 2 : 20, ART22: 5, ART24: 3, ART19: 4, ART12: 2 }, r.chance(0.3) ? 2 : 1) : [],
    formas_reclutamiento: r.chance(0.08) ? ['NE'] : r.some(ENGANCHE, r.chance(0.2) ? 2 : 1),
    medios_contacto: r.chance(0.08) ? ['NE'] : r.some(CONTACTO, r.chance(0.15) ? 2 : 1),
    medios_comisivos: adult ? (r.chance(0.05) ? ['NE'] : r.some(COMISIVO, r.int(1, 3))) : noCom && r.chance(0.6) ? ['NO_REQUERIDO'] : r.chance(0.5) ? r.some(COMISIVO, r.int(1, 2)) : [],
    vinculo_tratante: r.chance(0.7) ? r.weighted(W18) : null,
    pais_captacion: paisCaptacion,
    entidad_captacion: entidadCaptacion,
    pais_destino: paisDestino,
    entidad_destino: entidadDestino,
    municipio_destino: munDestino,
    espacios_explotacion: r.chance(0.8) ? (r.chance(0.05) ? ['NE'] : (sexual ? r.some(ESPACIO_SEXUAL, r.chance(0.2) ? 2 : 1) : r.some(ESPACIO_LABORAL, r.chance(0.2) ? 2 : 1))) : [],
    entidades_transito: entidadesTransito,
    paises_transito: paisesTransito,
    medios_transporte: r.chance(0.12) ? ['SIN_TRASLADO'] : r.chance(0.06) ? ['NE'] : r.some(TRANSPORTE, r.chance(0.25) ? 2 : 1),
    cruce_fronterizo: cruce,
    tipo_transito_fronterizo: tipoTransito,
    punto_cruce: punto,
    servicios: r.some(SERVICIOS, r.int(1, 4)),
    medidas_proteccion: r.chance(0.5) ? r.some(MEDIDAS, r.int(1, 2)) : [],
    canalizada_a: r.chance(0.4) && instCodes.length ? [r.pick(instCodes)] : [],
    estatus_atencion: r.weighted(W19),
    retorno_repatriacion: repatriacion,
    reparacion_integral: denuncia === 'SI' ? r.weighted(W20) : 'NO_APLICA',
  };
}

export function generateVictims(n: number, o: GenOptions): Victim[] {
  const r = rng(o.seed);
  const fates = o.fates ?? { validado: 70, enviado: 20, borrador: 6, devuelto: 2, eliminado: 2 };
  const out: Victim[] = [];
  for (let i = 0; i < n; i++) out.push({ values: victim(r, o), fate: r.weighted(fates as Record<Fate, number>) });
  return out;
}

/** The columns a direct insert writes: metadata, the module's fields, and what the server keeps. */
const SERVER_COLS = ['id', 'folio_sintra', 'estatus', 'fecha_principal', 'search_text', 'enviado_at', 'validado_at', 'deleted_at', 'deleted_reason'];

/**
 * Inserts records directly (the statistics test and the bench; the API path is tested elsewhere), in
 * batches through json_populate_recordset, as the server would store them: main date, folio, status,
 * workflow timestamps, soft deletion. Folio counters are moved past the folios used.
 */
export async function insertVictims(q: Queryable, rows: readonly Victim[], fieldKeys: readonly string[], opts: { batch?: number; startFolio?: Record<number, number> } = {}): Promise<string[]> {
  const cols = [...new Set([...SERVER_COLS, ...fieldKeys])];
  const counters: Record<number, number> = { ...(opts.startFolio ?? {}) };
  const ids: string[] = [];
  const batch = opts.batch ?? 2000;
  const colList = cols.map((c) => `"${c}"`).join(', ');
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch).map((v) => {
      const year = Number(String(v.values.fecha_identificacion ?? '2024').slice(0, 4));
      counters[year] = (counters[year] ?? 0) + 1;
      const folio = `VIC-${year}-${String(counters[year]).padStart(6, '0')}`;
      const id = crypto.randomUUID();
      ids.push(id);
      const estatus = v.fate === 'eliminado' ? 'enviado' : v.fate;
      const ts = `${v.values.fecha_identificacion}T18:00:00Z`;
      return {
        ...v.values,
        id,
        folio_sintra: folio,
        estatus,
        fecha_principal: v.values.fecha_identificacion,
        search_text: folio.toLowerCase(),
        enviado_at: estatus === 'enviado' || estatus === 'validado' ? ts : null,
        validado_at: estatus === 'validado' ? ts : null,
        deleted_at: v.fate === 'eliminado' ? ts : null,
        deleted_reason: v.fate === 'eliminado' ? 'Registro capturado por error.' : null,
      };
    });
    await q.query(`insert into m_victimas (${colList}) select ${colList} from json_populate_recordset(null::m_victimas, $1::json)`, [JSON.stringify(chunk)]);
  }
  for (const [anio, last] of Object.entries(counters))
    await q.query(
      `insert into folio_counter (prefix, anio, last) values ('VIC', $1, $2) on conflict (prefix, anio) do update set last = greatest(folio_counter.last, excluded.last)`,
      [Number(anio), last],
    );
  return ids;
}
