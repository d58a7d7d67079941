// The Programa Nacional indicators IND-01 … IND-15 (spec §4.4), each declared once: numerator, denominator
// and filters as SQL over the module tables (alias r) or the institutions (alias i). The engine
// (compute.ts) adds the common filters (validated, not deleted), binds :desde, :hasta (cut-off) and
// :entidad, and runs both parts in one query. The same declarations feed the screen, the API, the annual
// report and its annex (which prints them), so a figure can always be traced to its formula.

export interface IndicatorPart {
  /** The spec's wording. */
  texto: string;
  /** SQL relation: a module table aliased r (`m_<module> r`), `institucion i`, or a subquery aliased r. */
  from?: string;
  /** Predicates added to the indicator's common filters (ANDed). */
  filtros?: string[];
  /** SQL aggregate producing the number. */
  medida?: string;
  /** A fixed denominator (e.g. the 32 states); with a state filter it becomes 1. */
  constante?: number;
  /** Whether the common filters of the indicator apply to this part (false for custom subqueries). */
  sinComunes?: boolean;
}

export interface IndicatorDef {
  id: string;
  nombre: string;
  /** Objetivos prioritarios of the 2022-2024 programme (spec §4.4 mapping). */
  objetivos: number[];
  periodicidad: 'anual' | 'semestral' | 'trimestral';
  /** Module whose records the indicator counts (null: institutions). */
  modulo: string | null;
  /** Filters common to numerator and denominator (besides validado and not deleted). */
  comunes: string[];
  /** SQL expression of the state used by the state filter (null: the indicator has no state cut). */
  entidad: string | null;
  /** How the period applies, for the methodology and annex. */
  periodo: string;
  numerador: IndicatorPart;
  denominador: IndicatorPart;
  desagregacion: string;
  /** Notes on decisions where the spec leaves room. */
  nota?: string;
}

const VALIDADO = `r.deleted_at is null and r.estatus = 'validado'`;
const EN_PERIODO = `r.fecha_principal between :desde and :hasta`;
const VICTIMA = `r.condicion = 'VICTIMA'`;

/** Validated records of any module whose main date falls in the period (for IND-11). */
function anyValidatedRecordOf(modules: readonly string[]): string {
  return `(${modules
    .map((m) => `exists (select 1 from m_${m} r where r.institucion_id = i.codigo and ${VALIDADO} and ${EN_PERIODO})`)
    .join(' or ')})`;
}

export const ALL_MODULE_KEYS = [
  'instrumentos',
  'convenios',
  'avances_legislativos',
  'comisiones',
  'colaboracion_internacional',
  'capacitacion',
  'difusion',
  'materiales_difusion',
  'victimas',
  'modelos_atencion',
  'unidades_especializadas',
  'operativos_rescate',
] as const;

/** An agreement's deadline: fecha_compromiso, or fecha_sesion + 365 days when it has none (spec IND-02). */
export const PLAZO_ACUERDO = `coalesce(r.fecha_compromiso, r.fecha_sesion + 365)`;

export const INDICATORS: readonly IndicatorDef[] = [
  {
    id: 'IND-01',
    nombre: 'Porcentaje de entidades federativas con avance legislativo armonizado con la Ley General',
    objetivos: [1],
    periodicidad: 'anual',
    modulo: 'avances_legislativos',
    comunes: [],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_avance en el periodo',
    numerador: {
      texto: 'Entidades federativas distintas con al menos un avance legislativo que armoniza con la Ley General (expedición o reforma/adición) en el periodo',
      from: 'm_avances_legislativos r',
      filtros: [`r.armoniza_ley_general`, `r.tipo_avance in ('EXPEDICION','REFORMA_ADICION')`, `r.fecha_avance between :desde and :hasta`, `r.entidad_federativa between '01' and '32'`],
      medida: 'count(distinct r.entidad_federativa)',
    },
    denominador: { texto: '32 entidades federativas', constante: 32 },
    desagregacion: 'anual; lista de entidades',
  },
  {
    id: 'IND-02',
    nombre: 'Tasa de cumplimiento de acuerdos de comisiones',
    objetivos: [2],
    periodicidad: 'trimestral',
    modulo: 'comisiones',
    comunes: [`${PLAZO_ACUERDO} between :desde and :hasta`, `r.estado_seguimiento <> 'CANCELADO'`],
    entidad: 'r.entidad_federativa',
    periodo: 'plazo del acuerdo (fecha compromiso, o fecha de sesión + 365 días) en el periodo',
    numerador: {
      texto: 'Acuerdos con plazo en el periodo, en estado CUMPLIDO y con fecha de cumplimiento a más tardar en la fecha de corte',
      from: 'm_comisiones r',
      filtros: [`r.estado_seguimiento = 'CUMPLIDO'`, `r.fecha_cumplimiento <= :hasta`],
      medida: 'count(*)',
    },
    denominador: { texto: 'Acuerdos con plazo en el periodo, salvo los cancelados', from: 'm_comisiones r', medida: 'count(*)' },
    desagregacion: 'trimestral; por entidad, tipo de órgano y tema',
    nota: 'El numerador se toma dentro del denominador (acuerdos con plazo en el periodo) para que la tasa no exceda 100 %.',
  },
  {
    id: 'IND-03',
    nombre: 'Porcentaje de entidades cuya CIES sesionó al menos dos veces en el año',
    objetivos: [2],
    periodicidad: 'anual',
    modulo: 'comisiones',
    comunes: [],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_sesion en el periodo',
    numerador: {
      texto: 'Entidades con al menos dos sesiones ordinarias distintas (número de sesión) del pleno de su CIES en el periodo',
      from: `(select r.entidad_federativa, count(distinct r.numero_sesion) as sesiones from m_comisiones r
               where ${VALIDADO} and r.tipo_organo = 'CIES_PLENO' and r.tipo_sesion = 'ORDINARIA'
                 and r.fecha_sesion between :desde and :hasta and r.entidad_federativa between '01' and '32'
               group by r.entidad_federativa) r`,
      filtros: ['r.sesiones >= 2'],
      medida: 'count(*)',
      sinComunes: true,
    },
    denominador: { texto: '32 entidades federativas', constante: 32 },
    desagregacion: 'anual',
  },
  {
    id: 'IND-04',
    nombre: 'Porcentaje de integrantes de la CI con al menos un convenio o instrumento internacional vigente',
    objetivos: [2],
    periodicidad: 'semestral',
    modulo: null,
    comunes: [`i.grupo = 'CI_INTEGRANTE'`, `i.vigente`],
    entidad: null,
    periodo: 'vigente en la fecha de corte: firmado a más tardar en el corte y sin fin de vigencia anterior al corte',
    numerador: {
      texto: 'Integrantes de la CI con al menos un registro de Convenios o Colaboración internacional vigente en la fecha de corte',
      from: 'institucion i',
      filtros: [
        `(exists (select 1 from m_convenios r where r.institucion_id = i.codigo and ${VALIDADO} and r.fecha_firma <= :hasta and (r.fecha_fin_vigencia is null or r.fecha_fin_vigencia >= :hasta))
          or exists (select 1 from m_colaboracion_internacional r where r.institucion_id = i.codigo and ${VALIDADO} and r.fecha_firma <= :hasta and (r.fecha_fin_vigencia is null or r.fecha_fin_vigencia >= :hasta)))`,
      ],
      medida: 'count(*)',
    },
    denominador: { texto: 'Instituciones integrantes de la CI', from: 'institucion i', medida: 'count(*)' },
    desagregacion: 'semestral',
    nota: 'Institucional: no tiene corte por entidad federativa.',
  },
  {
    id: 'IND-05',
    nombre: 'Porcentaje de víctimas que recibieron atención integral básica',
    objetivos: [3],
    periodicidad: 'trimestral',
    modulo: 'victimas',
    comunes: [VICTIMA, EN_PERIODO],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_identificacion en el periodo',
    numerador: {
      texto: 'Víctimas con atención médica y psicológica y con orientación o asesoría jurídica',
      from: 'm_victimas r',
      filtros: [`r.servicios @> array['ATENCION_MEDICA','ATENCION_PSICOLOGICA']::text[]`, `r.servicios && array['ORIENTACION_JURIDICA','ASESORIA_JURIDICA_PROCESO']::text[]`],
      medida: 'count(*)',
    },
    denominador: { texto: 'Víctimas (condición VICTIMA) identificadas en el periodo', from: 'm_victimas r', medida: 'count(*)' },
    desagregacion: 'trimestral; por sexo, NNA/adulta, modalidad, entidad',
  },
  {
    id: 'IND-06',
    nombre: 'Porcentaje de víctimas extranjeras en México con estancia regular o humanitaria',
    objetivos: [3],
    periodicidad: 'anual',
    modulo: 'victimas',
    comunes: [VICTIMA, EN_PERIODO, `r.nacionalidad <> 'MEX'`, `r.pais_destino = 'MEX'`],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_identificacion en el periodo',
    numerador: {
      texto: 'Víctimas extranjeras con destino en México con estancia humanitaria o calidad de visitante por razones humanitarias, residente temporal o permanente',
      from: 'm_victimas r',
      filtros: [`('ESTANCIA_HUMANITARIA' = any(r.medidas_proteccion) or r.calidad_migratoria in ('VISITANTE_RAZONES_HUMANITARIAS','RESIDENTE_TEMPORAL','RESIDENTE_PERMANENTE'))`],
      medida: 'count(*)',
    },
    denominador: { texto: 'Víctimas extranjeras con destino en México', from: 'm_victimas r', medida: 'count(*)' },
    desagregacion: 'anual; por nacionalidad (región), sexo',
  },
  {
    id: 'IND-07',
    nombre: 'Porcentaje de víctimas con reparación integral otorgada',
    objetivos: [3],
    periodicidad: 'anual',
    modulo: 'victimas',
    comunes: [VICTIMA, `r.fecha_principal between '2012-06-14' and :hasta`],
    entidad: 'r.entidad_federativa',
    periodo: 'acumulado desde la Ley General (14-06-2012) hasta la fecha de corte',
    numerador: {
      texto: 'Víctimas con reparación integral otorgada (parcial o total) y denuncia o carpeta de investigación',
      from: 'm_victimas r',
      filtros: [`r.denuncia_carpeta = 'SI'`, `r.reparacion_integral in ('OTORGADA_PARCIAL','OTORGADA_TOTAL')`],
      medida: 'count(*)',
    },
    denominador: { texto: 'Víctimas con denuncia o carpeta de investigación', from: 'm_victimas r', filtros: [`r.denuncia_carpeta = 'SI'`], medida: 'count(*)' },
    desagregacion: 'anual, acumulado desde 2012; por entidad, sexo',
    nota: 'El numerador se toma dentro del denominador (víctimas con denuncia).',
  },
  {
    id: 'IND-08',
    nombre: 'Porcentaje de víctimas con reincorporación social al concluir la atención',
    objetivos: [3],
    periodicidad: 'anual',
    modulo: 'victimas',
    comunes: [VICTIMA, EN_PERIODO, `r.estatus_atencion in ('CONCLUIDA','REINCORPORADA','RETORNADA','ABANDONO')`],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_identificacion en el periodo',
    numerador: { texto: 'Víctimas reincorporadas', from: 'm_victimas r', filtros: [`r.estatus_atencion = 'REINCORPORADA'`], medida: 'count(*)' },
    denominador: { texto: 'Víctimas cuya atención terminó (concluida, reincorporada, retornada o abandono)', from: 'm_victimas r', medida: 'count(*)' },
    desagregacion: 'anual',
  },
  {
    id: 'IND-09',
    nombre: 'Porcentaje de instrumentos de atención creados o actualizados que están en aplicación',
    objetivos: [3],
    periodicidad: 'anual',
    modulo: 'instrumentos',
    comunes: [`r.ejes @> array['ATENCION']::text[]`, `r.tipo_accion in ('CREACION','ACTUALIZACION')`, `r.fecha_aprobacion between :desde and :hasta`],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_aprobacion en el periodo',
    numerador: { texto: 'Instrumentos aprobados o publicados que están en aplicación', from: 'm_instrumentos r', filtros: [`r.estatus_instrumento in ('APROBADO','PUBLICADO')`, 'r.en_aplicacion'], medida: 'count(*)' },
    denominador: { texto: 'Instrumentos de atención creados o actualizados, aprobados o publicados', from: 'm_instrumentos r', filtros: [`r.estatus_instrumento in ('APROBADO','PUBLICADO')`], medida: 'count(*)' },
    desagregacion: 'anual; por ámbito',
    nota: 'El numerador se toma dentro del denominador (aprobados o publicados).',
  },
  {
    id: 'IND-10',
    nombre: 'Completitud de las desagregaciones del art. 88 fr. VIII',
    objetivos: [4],
    periodicidad: 'trimestral',
    modulo: 'victimas',
    comunes: [VICTIMA, EN_PERIODO],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_identificacion en el periodo',
    numerador: {
      texto: 'Víctimas con sexo, grupo de edad, estado civil, nacionalidad, formas de reclutamiento, modalidades, país de destino, medios de transporte, cruce fronterizo y (donde aplica) calidad migratoria conocidos',
      from: 'm_victimas r',
      filtros: [
        `r.sexo <> 'NE'`,
        `r.grupo_edad <> 'NE'`,
        `r.estado_civil <> 'NE'`,
        `r.nacionalidad <> 'XXX'`,
        `not ('NE' = any(r.formas_reclutamiento))`,
        `not ('NO_DETERMINADA' = any(r.modalidades))`,
        `r.pais_destino <> 'XXX'`,
        `not ('NE' = any(r.medios_transporte))`,
        `r.cruce_fronterizo <> 'NS'`,
        `(r.nacionalidad = 'MEX' and r.pais_destino = 'MEX' or coalesce(r.calidad_migratoria, 'NE') <> 'NE')`,
      ],
      medida: 'count(*)',
    },
    denominador: { texto: 'Víctimas identificadas en el periodo', from: 'm_victimas r', medida: 'count(*)' },
    desagregacion: 'trimestral; por institución, entidad',
  },
  {
    id: 'IND-11',
    nombre: 'Cobertura del reporte institucional al SINTRA',
    objetivos: [4],
    periodicidad: 'trimestral',
    modulo: null,
    comunes: ['i.obligada_reportar', 'i.vigente'],
    entidad: 'i.entidad',
    periodo: 'fecha principal del registro en el periodo',
    numerador: { texto: 'Instituciones obligadas con al menos un registro validado (cualquier módulo) en el periodo', from: 'institucion i', filtros: [anyValidatedRecordOf(ALL_MODULE_KEYS)], medida: 'count(*)' },
    denominador: { texto: 'Instituciones obligadas a reportar', from: 'institucion i', medida: 'count(*)' },
    desagregacion: 'trimestral; por ámbito, entidad',
  },
  {
    id: 'IND-12',
    nombre: 'Tasa de acreditación de personas servidoras públicas capacitadas',
    objetivos: [2, 5],
    periodicidad: 'anual',
    modulo: 'capacitacion',
    comunes: [EN_PERIODO, 'r.participantes_servidores_publicos > 0', `r.tipo_reconocimiento in ('CONSTANCIA_ACREDITACION','DIPLOMA','CERTIFICACION')`],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_inicio en el periodo',
    numerador: { texto: 'Σ personas acreditadas de eventos con personas servidoras públicas y reconocimiento acreditable', from: 'm_capacitacion r', medida: 'coalesce(sum(r.personas_acreditadas), 0)' },
    denominador: { texto: 'Σ participantes de los mismos eventos', from: 'm_capacitacion r', medida: 'coalesce(sum(r.participantes_total), 0)' },
    desagregacion: 'anual; por entidad, tipo de evento',
  },
  {
    id: 'IND-13',
    nombre: 'Porcentaje de eventos de capacitación con mejora de conocimientos',
    objetivos: [5],
    periodicidad: 'anual',
    modulo: 'capacitacion',
    comunes: [EN_PERIODO, 'r.evaluacion_aplicada'],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_inicio en el periodo',
    numerador: { texto: 'Eventos evaluados con calificación final − inicial ≥ 1.0', from: 'm_capacitacion r', filtros: ['r.calificacion_final - r.calificacion_inicial >= 1.0'], medida: 'count(*)' },
    denominador: { texto: 'Eventos con evaluación aplicada', from: 'm_capacitacion r', medida: 'count(*)' },
    desagregacion: 'anual',
  },
  {
    id: 'IND-14',
    nombre: 'Porcentaje de acciones de difusión dirigidas a grupos en situación de vulnerabilidad',
    objetivos: [5],
    periodicidad: 'anual',
    modulo: 'difusion',
    comunes: [EN_PERIODO],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha_inicio en el periodo',
    numerador: {
      texto: 'Acciones dirigidas a NNA, migrantes, indígenas o afromexicanas, jornaleras, LGBTI, mujeres o juventudes',
      from: 'm_difusion r',
      filtros: [`r.poblacion_objetivo && array['NNA','MIGRANTES','INDIGENAS_AFRO','JORNALERAS','LGBTI','MUJERES','JUVENTUDES']::text[]`],
      medida: 'count(*)',
    },
    denominador: { texto: 'Acciones de difusión', from: 'm_difusion r', medida: 'count(*)' },
    desagregacion: 'anual; por entidad',
  },
  {
    id: 'IND-15',
    nombre: 'Porcentaje de materiales de difusión en lenguas indígenas o formatos accesibles',
    objetivos: [5],
    periodicidad: 'anual',
    modulo: 'materiales_difusion',
    comunes: [EN_PERIODO],
    entidad: 'r.entidad_federativa',
    periodo: 'fecha de registro en el periodo',
    numerador: {
      texto: 'Materiales con alguna lengua indígena (INALI), Lengua de Señas Mexicana o Braille',
      from: 'm_materiales_difusion r',
      filtros: [`exists (select 1 from unnest(r.idiomas) x(c) where x.c like 'INALI\\_%' or x.c in ('LSM','BRAILLE'))`],
      medida: 'count(*)',
    },
    denominador: { texto: 'Materiales de difusión', from: 'm_materiales_difusion r', medida: 'count(*)' },
    desagregacion: 'anual',
  },
];

export function indicatorOr(id: string): IndicatorDef | undefined {
  return INDICATORS.find((i) => i.id === id.toUpperCase());
}

export const VALIDADO_SQL = VALIDADO;
