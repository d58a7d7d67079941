// Módulo 4 — Comisiones (spec §2.4, 16 variables).
// "Vencido" is derived, not stored: fecha_compromiso < hoy and estado_seguimiento ∈ {PENDIENTE, EN_PROCESO}.
import type { ModuleDef } from './types.js';

const NO_DATOS_PERSONALES = [
  {
    regex: '\\b[A-Za-z]{4}\\d{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9]\\d\\b',
    message: 'No anote CURP ni otros datos personales de víctimas.',
  },
  {
    regex: '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
    message: 'No anote correos electrónicos ni otros datos personales de víctimas.',
  },
  {
    regex: '(?<!\\d)(?:\\d[ .-]?){9}\\d(?!\\d)',
    message: 'No anote números telefónicos ni otros datos personales de víctimas.',
  },
] as const;

export const comisiones = {
  key: 'comisiones',
  number: 4,
  name: 'Comisiones',
  group: 'coordinacion',
  folioPrefix: 'COM',
  description:
    'Un registro = un acuerdo tomado en una sesión de la CIES, la Comisión Intersecretarial o sus grupos de trabajo, con su seguimiento.',
  mainDate: 'fecha_sesion',
  formNote:
    'Registre un acuerdo por registro; los datos de la sesión se repiten en todos los acuerdos de la misma sesión (puede copiarlos del acuerdo anterior).',
  sections: [
    { key: 'sesion', label: 'Datos de la sesión' },
    { key: 'acuerdo', label: 'Acuerdo' },
    { key: 'seguimiento', label: 'Seguimiento del acuerdo' },
  ],
  fields: [
    {
      key: 'tipo_organo',
      label: 'Órgano colegiado',
      type: 'catalogo',
      catalog: 'tipo_organo',
      required: true,
      section: 'sesion',
      help: 'CIES solo en ámbito estatal, Comisión Intersecretarial solo en federal y comisión municipal solo en municipal.',
      otro: true,
    },
    {
      key: 'nombre_organo',
      label: 'Nombre del órgano',
      type: 'texto',
      required: true,
      section: 'sesion',
      help: 'Entre 5 y 300 caracteres; nombre oficial de la comisión, comité o grupo.',
      minLength: 5,
      maxLength: 300,
    },
    {
      key: 'tipo_sesion',
      label: 'Tipo de sesión',
      type: 'catalogo',
      catalog: 'tipo_sesion',
      required: true,
      section: 'sesion',
      help: 'Instalación, ordinaria o extraordinaria.',
    },
    {
      key: 'numero_sesion',
      label: 'Número de sesión',
      type: 'entero',
      required: true,
      section: 'sesion',
      help: 'Número entero mayor o igual a 1.',
      min: 1,
    },
    {
      key: 'fecha_sesion',
      label: 'Fecha de la sesión',
      type: 'fecha',
      required: true,
      section: 'sesion',
      help: 'No posterior a hoy.',
      notAfterToday: true,
    },
    {
      key: 'modalidad_sesion',
      label: 'Modalidad de la sesión',
      type: 'catalogo',
      catalog: 'modalidad_evento',
      required: true,
      section: 'sesion',
      help: 'Presencial, virtual o mixta.',
    },
    {
      key: 'acta_sesion',
      label: 'Acta o minuta de la sesión',
      type: 'archivo',
      required: false,
      section: 'sesion',
      help: 'PDF de hasta 20 MB.',
      files: { kinds: ['pdf'], maxMb: 20 },
    },
    {
      key: 'clave_acuerdo',
      label: 'Clave del acuerdo',
      type: 'texto',
      required: true,
      section: 'acuerdo',
      help: 'Entre 1 y 60 caracteres; no puede repetirse dentro de la misma sesión.',
      minLength: 1,
      maxLength: 60,
    },
    {
      key: 'descripcion_acuerdo',
      label: 'Descripción del acuerdo',
      type: 'texto_largo',
      required: true,
      section: 'acuerdo',
      help: 'Entre 10 y 2 000 caracteres; sin datos personales de víctimas.',
      minLength: 10,
      maxLength: 2000,
      forbidPatterns: NO_DATOS_PERSONALES,
    },
    {
      key: 'tema_acuerdo',
      label: 'Tema del acuerdo',
      type: 'catalogo',
      catalog: 'tema_acuerdo',
      required: true,
      section: 'acuerdo',
      help: 'Tema principal del acuerdo.',
      otro: true,
    },
    {
      key: 'instituciones_responsables',
      label: 'Instituciones responsables del cumplimiento',
      type: 'catalogo_multiple',
      catalog: 'institucion',
      required: true,
      section: 'acuerdo',
      help: 'Seleccione al menos una institución.',
    },
    {
      key: 'fecha_compromiso',
      label: 'Fecha compromiso de cumplimiento',
      type: 'fecha',
      required: false,
      section: 'seguimiento',
      help: 'Igual o posterior a la fecha de la sesión.',
      notBefore: 'fecha_sesion',
    },
    {
      key: 'estado_seguimiento',
      label: 'Estado de seguimiento',
      type: 'catalogo',
      catalog: 'estado_acuerdo',
      required: true,
      section: 'seguimiento',
      help: 'Situación actual del cumplimiento del acuerdo.',
    },
    {
      key: 'porcentaje_avance',
      label: 'Porcentaje de avance',
      type: 'entero',
      required: true,
      section: 'seguimiento',
      help: 'De 0 a 100: 100 si está cumplido, 0 si está pendiente, de 1 a 99 si está en proceso.',
      min: 0,
      max: 100,
    },
    {
      key: 'fecha_cumplimiento',
      label: 'Fecha de cumplimiento',
      type: 'fecha',
      required: { field: 'estado_seguimiento', eq: 'CUMPLIDO' },
      section: 'seguimiento',
      help: 'Obligatoria si está cumplido; igual o posterior a la fecha de la sesión y no posterior a hoy.',
      notAfterToday: true,
      notBefore: 'fecha_sesion',
    },
    {
      key: 'seguimiento',
      label: 'Acciones realizadas para su cumplimiento',
      type: 'texto_largo',
      required: { field: 'estado_seguimiento', ne: 'PENDIENTE' },
      section: 'seguimiento',
      help: 'Hasta 2 000 caracteres; obligatorio salvo que el acuerdo esté pendiente.',
      maxLength: 2000,
    },
  ],
  listColumns: ['nombre_organo', 'fecha_sesion', 'clave_acuerdo', 'tema_acuerdo', 'estado_seguimiento'],
  dbRules: [
    {
      // The session is (nombre_organo, tipo_sesion, numero_sesion, year of fecha_sesion), spec §2.4 var. 4.
      kind: 'unique',
      key: ['nombre_organo', 'tipo_sesion', 'numero_sesion', { year: 'fecha_sesion' }, 'clave_acuerdo'],
      field: 'clave_acuerdo',
      level: 'error',
      message: 'Clave del acuerdo: ya existe un acuerdo con esta clave en la misma sesión (mismo órgano, tipo, número y año de sesión).',
    },
  ],
  rules: [
    {
      field: 'tipo_organo',
      message: 'Órgano colegiado: los órganos de la CIES solo se registran con Ámbito estatal.',
      check: (v) =>
        v.ambito == null ||
        typeof v.tipo_organo !== 'string' ||
        !v.tipo_organo.startsWith('CIES_') ||
        v.ambito === 'ESTATAL',
    },
    {
      field: 'tipo_organo',
      message: 'Órgano colegiado: los órganos de la Comisión Intersecretarial solo se registran con Ámbito federal.',
      check: (v) =>
        v.ambito == null ||
        typeof v.tipo_organo !== 'string' ||
        !v.tipo_organo.startsWith('CI_') ||
        v.ambito === 'FEDERAL',
    },
    {
      field: 'tipo_organo',
      message: 'Órgano colegiado: la comisión o comité municipal solo se registra con Ámbito municipal.',
      check: (v) => v.ambito == null || v.tipo_organo !== 'COMISION_MUNICIPAL' || v.ambito === 'MUNICIPAL',
    },
    {
      field: 'porcentaje_avance',
      message: 'Porcentaje de avance: debe ser 100 si el Estado de seguimiento es Cumplido.',
      check: (v) => v.estado_seguimiento !== 'CUMPLIDO' || v.porcentaje_avance == null || v.porcentaje_avance === 100,
    },
    {
      field: 'porcentaje_avance',
      message: 'Porcentaje de avance: debe ser 0 si el Estado de seguimiento es Pendiente.',
      check: (v) => v.estado_seguimiento !== 'PENDIENTE' || v.porcentaje_avance == null || v.porcentaje_avance === 0,
    },
    {
      field: 'porcentaje_avance',
      message: 'Porcentaje de avance: debe estar entre 1 y 99 si el Estado de seguimiento es En proceso.',
      check: (v) =>
        v.estado_seguimiento !== 'EN_PROCESO' ||
        typeof v.porcentaje_avance !== 'number' ||
        (v.porcentaje_avance >= 1 && v.porcentaje_avance <= 99),
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
    tipo_organo: 'CI_PLENO',
    nombre_organo:
      'Comisión Intersecretarial para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas',
    tipo_sesion: 'ORDINARIA',
    numero_sesion: 2,
    fecha_sesion: '2024-06-27',
    modalidad_sesion: 'MIXTA',
    acta_sesion: [],
    clave_acuerdo: 'CI/ORD-02/2024/03',
    descripcion_acuerdo:
      'Las instituciones integrantes entregarán a la Secretaría Técnica la información trimestral de sus acciones en el SINTRA para integrar el informe anual de la Comisión Intersecretarial.',
    tema_acuerdo: 'INFORMACION',
    instituciones_responsables: ['SEGOB', 'FGR', 'SSPC', 'CEAV', 'SNDIF'],
    fecha_compromiso: '2024-09-30',
    estado_seguimiento: 'CUMPLIDO',
    porcentaje_avance: 100,
    fecha_cumplimiento: '2024-09-20',
    seguimiento:
      'La Secretaría Técnica envió el formato de captura, realizó dos reuniones de asesoría con las personas enlace y recibió la información de las cinco instituciones responsables antes de la fecha compromiso.',
  },
} satisfies ModuleDef;
