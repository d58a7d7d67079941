import type { ModuleDef, Values } from './types.js';

// Módulo 6 — Capacitación / Sensibilización (spec §2.6, 34 variables).

const PRESENCIAL_O_MIXTA = ['PRESENCIAL', 'MIXTA'] as const;
const VIRTUAL_O_MIXTA = ['VIRTUAL', 'MIXTA'] as const;
/** tipo_reconocimiento codes that certify completion: personas_acreditadas becomes required. */
const RECONOCIMIENTO_ACREDITA = ['CONSTANCIA_ACREDITACION', 'DIPLOMA', 'CERTIFICACION'] as const;

const PARTICIPANTES_SEXO = [
  'participantes_mujeres',
  'participantes_hombres',
  'participantes_otra_identidad',
  'participantes_sexo_ne',
] as const;

const DAY_MS = 86_400_000;

/** Whole days between two ISO dates (fin − inicio); null if either is missing or invalid. */
function diasEntre(inicio: unknown, fin: unknown): number | null {
  if (typeof inicio !== 'string' || typeof fin !== 'string') return null;
  const a = Date.parse(`${inicio}T00:00:00Z`);
  const b = Date.parse(`${fin}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.round((b - a) / DAY_MS);
}

function num(v: Values, key: string): number | null {
  const x = v[key];
  return typeof x === 'number' ? x : null;
}

export const capacitacion = {
  key: 'capacitacion',
  number: 6,
  name: 'Capacitación / Sensibilización',
  group: 'prevencion',
  folioPrefix: 'CAP',
  description:
    'Evento de capacitación, sensibilización o formación especializada en materia de trata de personas (un registro por grupo o edición).',
  mainDate: 'fecha_inicio',
  formNote:
    'Registre un evento por grupo o edición. El lugar de realización es la entidad federativa y el municipio del registro; un evento virtual de alcance nacional se registra con ámbito federal y sin entidad.',
  sections: [
    { key: 'evento', label: 'Datos del evento' },
    { key: 'contenido', label: 'Población objetivo y contenido' },
    { key: 'participantes', label: 'Participantes' },
    { key: 'resultados', label: 'Evaluación, reconocimiento y financiamiento' },
    { key: 'evidencia', label: 'Documentación y evidencia' },
  ],
  fields: [
    // 1
    {
      key: 'nombre_evento',
      label: 'Nombre del evento',
      type: 'texto',
      required: true,
      section: 'evento',
      minLength: 5,
      help: 'Entre 5 y 300 caracteres.',
    },
    // 2
    {
      key: 'tipo_evento',
      label: 'Tipo de evento',
      type: 'catalogo',
      catalog: 'tipo_evento',
      required: true,
      section: 'evento',
      otro: true,
      help: 'Curso, taller, diplomado, conferencia u otro; si elige «Otro», especifíquelo.',
    },
    // 3
    {
      key: 'proposito',
      label: 'Propósito del evento',
      type: 'catalogo',
      catalog: 'proposito_evento',
      required: true,
      section: 'evento',
      help: 'Distinga capacitación, sensibilización y formación especializada.',
    },
    // 4
    {
      key: 'modalidad',
      label: 'Modalidad',
      type: 'catalogo',
      catalog: 'modalidad_evento',
      required: true,
      section: 'evento',
      help: 'Presencial, virtual o mixta.',
    },
    // 5
    {
      key: 'fecha_inicio',
      label: 'Fecha de inicio',
      type: 'fecha',
      required: true,
      section: 'evento',
      notAfterToday: true,
      help: 'No posterior a hoy: solo se registran eventos ya realizados.',
    },
    // 6
    {
      key: 'fecha_fin',
      label: 'Fecha de término',
      type: 'fecha',
      required: true,
      section: 'evento',
      notBefore: 'fecha_inicio',
      notAfterToday: true,
      help: 'Igual o posterior a la fecha de inicio y no posterior a hoy.',
    },
    // 7
    {
      key: 'duracion_horas',
      label: 'Duración total (horas)',
      type: 'decimal',
      required: true,
      section: 'evento',
      min: 0.5,
      max: 2000,
      step: 0.5,
      help: 'De 0.5 a 2 000 horas, en múltiplos de 0.5.',
    },
    // 8
    {
      key: 'sede',
      label: 'Sede',
      type: 'texto',
      required: { field: 'modalidad', in: PRESENCIAL_O_MIXTA },
      section: 'evento',
      minLength: 3,
      maxLength: 200,
      help: 'Obligatoria en modalidad presencial o mixta; entre 3 y 200 caracteres.',
    },
    // 9
    {
      key: 'plataforma',
      label: 'Plataforma virtual',
      type: 'texto',
      required: { field: 'modalidad', in: VIRTUAL_O_MIXTA },
      section: 'evento',
      minLength: 2,
      maxLength: 100,
      help: 'Obligatoria en modalidad virtual o mixta; entre 2 y 100 caracteres.',
    },
    // 10
    {
      key: 'instancia_imparte',
      label: 'Instancia que imparte',
      type: 'texto',
      required: true,
      section: 'evento',
      minLength: 3,
      help: 'Entre 3 y 300 caracteres; puede ser la propia institución que registra.',
    },
    // 11
    {
      key: 'instituciones_colaboradoras',
      label: 'Instituciones u organizaciones colaboradoras',
      type: 'texto',
      required: false,
      section: 'evento',
      maxLength: 500,
      help: 'Hasta 500 caracteres; separe los nombres con «;».',
    },
    // 12
    {
      key: 'poblacion_objetivo',
      label: 'Población objetivo',
      type: 'catalogo_multiple',
      catalog: 'poblacion_objetivo',
      required: true,
      section: 'contenido',
      otro: true,
      help: 'Seleccione al menos una población.',
    },
    // 13
    {
      key: 'orden_gobierno_participantes',
      label: 'Orden de gobierno de las personas servidoras públicas participantes',
      type: 'catalogo_multiple',
      catalog: 'orden_gobierno',
      required: { field: 'participantes_servidores_publicos', gt: 0 },
      section: 'contenido',
      exclusive: ['NO_APLICA'],
      help: 'Obligatorio si participaron personas servidoras públicas; «No aplica» no se combina con otras opciones.',
    },
    // 14
    {
      key: 'temas',
      label: 'Temas abordados',
      type: 'catalogo_multiple',
      catalog: 'tema_capacitacion',
      required: true,
      section: 'contenido',
      otro: true,
      help: 'Seleccione al menos un tema.',
    },
    // 15
    {
      key: 'modalidades_abordadas',
      label: 'Modalidades de explotación abordadas',
      type: 'catalogo_multiple',
      catalog: 'modalidad_explotacion',
      required: false,
      section: 'contenido',
      denyCodes: ['NO_DETERMINADA'],
      help: 'Formas de explotación tratadas; «Aún no determinada» no se admite.',
    },
    // 16
    {
      key: 'enfoques',
      label: 'Enfoques transversales incorporados',
      type: 'catalogo_multiple',
      catalog: 'enfoque',
      required: false,
      section: 'contenido',
      otro: true,
      help: 'Enfoques de derechos humanos, género, niñez, interculturalidad u otros incorporados al evento.',
    },
    // 17
    {
      key: 'participantes_mujeres',
      label: 'Participantes: mujeres',
      type: 'entero',
      required: true,
      section: 'participantes',
      help: 'Número entero igual o mayor que 0.',
    },
    // 18
    {
      key: 'participantes_hombres',
      label: 'Participantes: hombres',
      type: 'entero',
      required: true,
      section: 'participantes',
      help: 'Número entero igual o mayor que 0.',
    },
    // 19
    {
      key: 'participantes_otra_identidad',
      label: 'Participantes: otra identidad (no binaria u otra)',
      type: 'entero',
      required: true,
      section: 'participantes',
      help: 'Número entero igual o mayor que 0.',
    },
    // 20
    {
      key: 'participantes_sexo_ne',
      label: 'Participantes: sin dato de sexo',
      type: 'entero',
      required: true,
      section: 'participantes',
      help: 'Personas de las que no se conoce el sexo; número entero igual o mayor que 0.',
    },
    // 21
    {
      key: 'participantes_total',
      label: 'Total de participantes',
      type: 'entero',
      required: true,
      section: 'participantes',
      sumOf: PARTICIPANTES_SEXO,
      help: 'Se calcula como la suma de participantes por sexo y debe ser mayor que 0.',
    },
    // 22
    {
      key: 'participantes_servidores_publicos',
      label: 'De ellas: personas servidoras públicas',
      type: 'entero',
      required: true,
      section: 'participantes',
      notAbove: 'participantes_total',
      help: 'Entre 0 y el total de participantes.',
    },
    // 23
    {
      key: 'participantes_nna',
      label: 'De ellas: niñas, niños y adolescentes',
      type: 'entero',
      required: false,
      section: 'participantes',
      notAbove: 'participantes_total',
      help: 'No mayor que el total de participantes.',
    },
    // 24
    {
      key: 'participantes_indigenas',
      label: 'De ellas: personas indígenas o afromexicanas (autoadscripción)',
      type: 'entero',
      required: false,
      section: 'participantes',
      notAbove: 'participantes_total',
      help: 'Por autoadscripción; no mayor que el total de participantes.',
    },
    // 25
    {
      key: 'participantes_discapacidad',
      label: 'De ellas: personas con discapacidad',
      type: 'entero',
      required: false,
      section: 'participantes',
      notAbove: 'participantes_total',
      help: 'No mayor que el total de participantes.',
    },
    // 26
    {
      key: 'personas_acreditadas',
      label: 'Personas que concluyeron o acreditaron',
      type: 'entero',
      required: { field: 'tipo_reconocimiento', in: RECONOCIMIENTO_ACREDITA },
      section: 'participantes',
      notAbove: 'participantes_total',
      help: 'No mayor que el total; obligatorio si se otorgó constancia de acreditación, diploma o certificación.',
    },
    // 27
    {
      key: 'evaluacion_aplicada',
      label: '¿Se aplicó evaluación de conocimientos inicial y final?',
      type: 'booleano',
      required: true,
      section: 'resultados',
      help: 'Responda sí o no.',
    },
    // 28
    {
      key: 'calificacion_inicial',
      label: 'Calificación promedio inicial (escala 0–10)',
      type: 'decimal',
      required: { field: 'evaluacion_aplicada', eq: true },
      section: 'resultados',
      min: 0,
      max: 10,
      help: 'Entre 0 y 10; obligatoria si se aplicó evaluación.',
    },
    // 29
    {
      key: 'calificacion_final',
      label: 'Calificación promedio final (escala 0–10)',
      type: 'decimal',
      required: { field: 'evaluacion_aplicada', eq: true },
      section: 'resultados',
      min: 0,
      max: 10,
      help: 'Entre 0 y 10; obligatoria si se aplicó evaluación.',
    },
    // 30
    {
      key: 'tipo_reconocimiento',
      label: 'Reconocimiento otorgado',
      type: 'catalogo',
      catalog: 'tipo_reconocimiento',
      required: true,
      section: 'resultados',
      help: 'Distinga la constancia de participación de la acreditación.',
    },
    // 31
    {
      key: 'fuente_financiamiento',
      label: 'Fuente de financiamiento',
      type: 'catalogo',
      catalog: 'fuente_financiamiento',
      required: true,
      section: 'resultados',
      help: 'Quién cubrió el costo del evento.',
    },
    // 32
    {
      key: 'carta_descriptiva',
      label: 'Carta descriptiva o programa del evento',
      type: 'archivo',
      required: false,
      section: 'evidencia',
      files: { kinds: ['pdf', 'docx'], maxMb: 10 },
      help: 'PDF o DOCX de hasta 10 MB.',
    },
    // 33
    {
      key: 'evidencia',
      label: 'Evidencia del evento',
      type: 'archivo',
      required: true,
      section: 'evidencia',
      files: { maxFiles: 5 },
      help: 'Hasta 5 archivos; las listas de asistencia no deben incluir datos de contacto de las personas participantes.',
    },
    // 34
    {
      key: 'observaciones',
      label: 'Observaciones',
      type: 'texto_largo',
      required: false,
      section: 'evidencia',
      help: 'Hasta 2 000 caracteres.',
    },
  ],
  listColumns: ['nombre_evento', 'tipo_evento', 'modalidad', 'fecha_inicio', 'participantes_total'],
  rules: [
    {
      field: 'participantes_total',
      message: 'Total de participantes: debe ser mayor que 0.',
      check: (v) => num(v, 'participantes_total') == null || (num(v, 'participantes_total') as number) > 0,
    },
    {
      field: 'duracion_horas',
      level: 'advertencia',
      message:
        'Duración total (horas): supera 10 horas por cada día entre la Fecha de inicio y la Fecha de término; verifique el dato.',
      check: (v) => {
        const horas = num(v, 'duracion_horas');
        const dias = diasEntre(v.fecha_inicio, v.fecha_fin);
        if (horas == null || dias == null || dias < 0) return true;
        return horas <= 10 * (dias + 1);
      },
    },
    {
      field: 'participantes_nna',
      level: 'advertencia',
      message:
        'De ellas: niñas, niños y adolescentes: hay participantes NNA, pero la Población objetivo no incluye «Niñas, niños y adolescentes» ni «Estudiantes».',
      check: (v) => {
        const nna = num(v, 'participantes_nna');
        if (nna == null || nna <= 0) return true;
        const pob = v.poblacion_objetivo;
        if (!Array.isArray(pob) || pob.length === 0) return true;
        return pob.includes('NNA') || pob.includes('ESTUDIANTES');
      },
    },
    {
      // Derived from the meaning of ORDEN_GOBIERNO.NO_APLICA ("no participaron personas servidoras públicas").
      field: 'orden_gobierno_participantes',
      message:
        'Orden de gobierno de las personas servidoras públicas participantes: no puede ser «No aplica» si hubo personas servidoras públicas participantes.',
      check: (v) => {
        const sp = num(v, 'participantes_servidores_publicos');
        const orden = v.orden_gobierno_participantes;
        if (sp == null || sp <= 0 || !Array.isArray(orden)) return true;
        return !orden.includes('NO_APLICA');
      },
    },
  ],
  example: {
    institucion_id: 'SEGOB',
    ambito: 'FEDERAL',
    entidad_federativa: null,
    municipio: null,
    periodo_anio: 2024,
    periodo_trimestre: 2,
    pn_acciones: [],
    nombre_evento: 'Taller «Detección e identificación de víctimas de trata de personas» para personal de primer contacto',
    tipo_evento: 'TALLER',
    proposito: 'CAPACITACION',
    modalidad: 'MIXTA',
    fecha_inicio: '2024-05-14',
    fecha_fin: '2024-05-16',
    duracion_horas: 20,
    sede: 'Auditorio de la Unidad de Política Migratoria, Ciudad de México',
    plataforma: 'Zoom institucional',
    instancia_imparte: 'Secretaría Técnica de la Comisión Intersecretarial, Secretaría de Gobernación',
    instituciones_colaboradoras: 'Organización Internacional para las Migraciones (OIM); Oficina de las Naciones Unidas contra la Droga y el Delito (UNODC)',
    poblacion_objetivo: ['SP_FEDERAL', 'SP_ESTATAL', 'PROCURACION_JUSTICIA', 'MIGRACION_CONSULAR'],
    orden_gobierno_participantes: ['FEDERAL', 'ESTATAL'],
    temas: ['MARCO_JURIDICO', 'CONCEPTOS_MODALIDADES', 'IDENTIFICACION', 'PROTOCOLOS'],
    modalidades_abordadas: ['EXPLOTACION_SEXUAL', 'EXPLOTACION_LABORAL', 'TRABAJO_FORZADO'],
    enfoques: ['DERECHOS_HUMANOS', 'GENERO', 'INTERES_SUPERIOR_NINEZ'],
    participantes_mujeres: 38,
    participantes_hombres: 22,
    participantes_otra_identidad: 1,
    participantes_sexo_ne: 2,
    participantes_total: 63,
    participantes_servidores_publicos: 55,
    participantes_nna: 0,
    participantes_indigenas: 4,
    participantes_discapacidad: 2,
    personas_acreditadas: 58,
    evaluacion_aplicada: true,
    calificacion_inicial: 6.2,
    calificacion_final: 8.7,
    tipo_reconocimiento: 'CONSTANCIA_ACREDITACION',
    fuente_financiamiento: 'RECURSOS_PROPIOS',
    carta_descriptiva: [],
    evidencia: [],
    observaciones:
      'Se realizaron tres sesiones de seis a siete horas; ocho personas participaron en línea desde sus entidades.',
  },
} satisfies ModuleDef;
