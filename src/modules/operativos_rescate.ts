import type { ModuleDef } from './types.js';

// Spec §2.12 — Módulo 12: Operativos de Rescate (16 variables).
// One record = one operation per municipio; the place is the metadata entidad_federativa / municipio.

/** Shapes of investigation file numbers and personal identifiers (spec §1.5) a key must not contain. */
const SIN_EXPEDIENTES = [
  {
    // CI-FIDCSP/…, C.I. …/…, AP/PGR/…, A.P. …/…, NUC …/…, NIC …/…, CDI …/…
    regex:
      '(^|[^A-Za-z])([Cc]\\.?[Ii]\\.?|[Aa]\\.?[Pp]\\.?|[Nn][Uu][Cc]|[Nn][Ii][Cc]|[Cc][Dd][Ii])(?![A-Za-z])[-\\s.:]*[A-Za-z0-9.-]*\\/',
    message:
      'no debe contener números de carpeta de investigación o averiguación previa (p. ej. CI-…/…/…, AP/…).',
  },
  {
    // FED/SEIDO/UEITMPO/…
    regex: '(^|[^A-Za-z])[Ff][Ee][Dd]\\s*\\/',
    message: 'no debe contener números de carpeta federales (p. ej. FED/…).',
  },
  {
    // …/00123/2024
    regex: '\\/\\s*\\d{3,}\\s*\\/\\s*(19|20)\\d{2}',
    message:
      'no debe contener números de expediente con forma …/número/año.',
  },
  {
    regex: '[A-Za-z]{4}\\d{6}[HMhm][A-Za-z]{5}[A-Za-z0-9]\\d',
    message: 'no debe contener CURP ni otros datos personales.',
  },
] as const;

export const operativosRescate = {
  key: 'operativos_rescate',
  number: 12,
  name: 'Operativos de Rescate',
  group: 'atencion',
  folioPrefix: 'OPE',
  description:
    'Un operativo de rescate de víctimas de trata en un municipio: tipo, fechas, espacios, instituciones participantes y resultados.',
  mainDate: 'fecha_inicio',
  sections: [
    { key: 'operativo', label: 'Datos del operativo' },
    { key: 'instituciones', label: 'Instituciones' },
    { key: 'resultados', label: 'Resultados' },
  ],
  formNote:
    'Registre un operativo por municipio: si el operativo abarcó varios municipios, capture un registro por cada uno.',
  fields: [
    {
      key: 'folio_operativo',
      label: 'Clave interna del operativo',
      type: 'texto',
      required: false,
      section: 'operativo',
      minLength: 3,
      maxLength: 40,
      forbidPatterns: SIN_EXPEDIENTES,
      help: 'Entre 3 y 40 caracteres; sin nombres de personas ni números de carpeta de investigación.',
    },
    {
      key: 'tipo_operativo',
      label: 'Tipo de operativo',
      type: 'catalogo',
      catalog: 'tipo_operativo',
      required: true,
      section: 'operativo',
      otro: true,
      help: 'Seleccione el tipo de operativo.',
    },
    {
      key: 'fecha_inicio',
      label: 'Fecha de inicio',
      type: 'fecha',
      required: true,
      section: 'operativo',
      notAfterToday: true,
      help: 'No puede ser posterior a hoy.',
    },
    {
      key: 'fecha_fin',
      label: 'Fecha de término',
      type: 'fecha',
      required: false,
      section: 'operativo',
      notBefore: 'fecha_inicio',
      notAfterToday: true,
      help: 'Igual o posterior a la fecha de inicio y no posterior a hoy.',
    },
    {
      key: 'espacios_ocurrencia',
      label: 'Espacio(s) de ocurrencia',
      type: 'catalogo_multiple',
      catalog: 'espacio_ocurrencia',
      required: true,
      section: 'operativo',
      exclusive: ['NE'],
      otro: true,
      help: 'Seleccione al menos uno (incluye entorno digital); "No especificado" no se combina con otros.',
    },
    {
      key: 'institucion_coordinadora',
      label: 'Institución que coordinó el operativo',
      type: 'catalogo',
      catalog: 'institucion',
      required: true,
      section: 'instituciones',
      help: 'Institución que dirigió el operativo.',
    },
    {
      key: 'instituciones_participantes',
      label: 'Instituciones participantes',
      type: 'catalogo_multiple',
      catalog: 'institucion',
      required: false,
      section: 'instituciones',
      help: 'Otras instituciones que participaron; no incluya a la institución coordinadora.',
    },
    {
      key: 'modalidades_detectadas',
      label: 'Modalidad(es) de explotación detectadas',
      type: 'catalogo_multiple',
      catalog: 'modalidad_explotacion',
      required: true,
      section: 'resultados',
      exclusive: ['NO_DETERMINADA'],
      help: 'Seleccione al menos una; "Aún no determinada" no se combina con otras.',
    },
    {
      key: 'rescatadas_mujeres',
      label: 'Personas rescatadas: mujeres',
      type: 'entero',
      required: true,
      section: 'resultados',
      help: 'Número entero mayor o igual a 0.',
    },
    {
      key: 'rescatadas_hombres',
      label: 'Personas rescatadas: hombres',
      type: 'entero',
      required: true,
      section: 'resultados',
      help: 'Número entero mayor o igual a 0.',
    },
    {
      key: 'rescatadas_otro_ne',
      label: 'Personas rescatadas: otro sexo o sin dato',
      type: 'entero',
      required: true,
      section: 'resultados',
      help: 'Número entero mayor o igual a 0.',
    },
    {
      key: 'rescatadas_total',
      label: 'Total de personas rescatadas',
      type: 'entero',
      required: true,
      section: 'resultados',
      sumOf: ['rescatadas_mujeres', 'rescatadas_hombres', 'rescatadas_otro_ne'],
      help: 'Se calcula: mujeres + hombres + otro sexo o sin dato (puede ser 0).',
    },
    {
      key: 'rescatadas_nna',
      label: 'De ellas: niñas, niños y adolescentes',
      type: 'entero',
      required: true,
      section: 'resultados',
      notAbove: 'rescatadas_total',
      help: 'No puede ser mayor que el total de personas rescatadas.',
    },
    {
      key: 'rescatadas_extranjeras',
      label: 'De ellas: personas extranjeras',
      type: 'entero',
      required: true,
      section: 'resultados',
      notAbove: 'rescatadas_total',
      help: 'No puede ser mayor que el total de personas rescatadas.',
    },
    {
      key: 'personas_detenidas',
      label: 'Personas detenidas',
      type: 'entero',
      required: true,
      section: 'resultados',
      help: 'Número entero mayor o igual a 0.',
    },
    {
      key: 'carpeta_iniciada',
      label: '¿Se inició carpeta de investigación?',
      type: 'catalogo',
      catalog: 'si_no_ns',
      required: true,
      section: 'resultados',
      help: 'Indique si se inició carpeta de investigación (sin anotar su número).',
    },
  ],
  listColumns: ['fecha_inicio', 'tipo_operativo', 'institucion_coordinadora', 'rescatadas_total', 'personas_detenidas'],
  rules: [
    {
      field: 'instituciones_participantes',
      message:
        'Instituciones participantes: no debe incluir a la Institución que coordinó el operativo.',
      check: (v) =>
        v.institucion_coordinadora == null ||
        !Array.isArray(v.instituciones_participantes) ||
        !v.instituciones_participantes.includes(v.institucion_coordinadora),
    },
  ],
  example: {
    institucion_id: 'SEGOB',
    ambito: 'ESTATAL',
    entidad_federativa: '09',
    municipio: '09015',
    periodo_anio: 2024,
    periodo_trimestre: 2,
    pn_acciones: [],
    folio_operativo: 'OP-2024-017',
    tipo_operativo: 'CATEO',
    fecha_inicio: '2024-05-14',
    fecha_fin: '2024-05-15',
    espacios_ocurrencia: ['BAR_CANTINA', 'HOTEL_MOTEL'],
    institucion_coordinadora: 'FGR',
    instituciones_participantes: ['SSPC', 'INM', 'CEAV'],
    modalidades_detectadas: ['EXPLOTACION_SEXUAL'],
    rescatadas_mujeres: 7,
    rescatadas_hombres: 2,
    rescatadas_otro_ne: 0,
    rescatadas_total: 9,
    rescatadas_nna: 3,
    rescatadas_extranjeras: 4,
    personas_detenidas: 3,
    carpeta_iniciada: 'SI',
  },
} satisfies ModuleDef;
