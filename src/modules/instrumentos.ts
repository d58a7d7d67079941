// Módulo 1 — Instrumentos (spec §2.1, 13 variables).
// Regla con base de datos: advertencia si otro registro de la misma institución tiene el mismo nombre_instrumento y tipo_instrumento.
import type { ModuleDef } from './types.js';

export const instrumentos = {
  key: 'instrumentos',
  number: 1,
  name: 'Instrumentos',
  group: 'coordinacion',
  folioPrefix: 'INS',
  description:
    'Un registro = un instrumento de apoyo (protocolo, manual, modelo, lineamientos, normas de operación…); una nueva versión se registra como Actualización.',
  mainDate: 'fecha_aprobacion',
  sections: [
    { key: 'datos', label: 'Datos del instrumento' },
    { key: 'estatus', label: 'Estatus, aprobación y publicación' },
    { key: 'aplicacion', label: 'Participación, aplicación y documento' },
  ],
  fields: [
    {
      key: 'tipo_instrumento',
      label: 'Tipo de instrumento',
      type: 'catalogo',
      catalog: 'tipo_instrumento',
      required: true,
      section: 'datos',
      help: 'Seleccione la clase de documento (protocolo, manual, modelo, lineamientos…).',
      otro: true,
    },
    {
      key: 'nombre_instrumento',
      label: 'Nombre del instrumento',
      type: 'texto',
      required: true,
      section: 'datos',
      help: 'Entre 5 y 300 caracteres; nombre oficial del documento.',
      minLength: 5,
      maxLength: 300,
    },
    {
      key: 'objetivo',
      label: 'Objetivo del instrumento',
      type: 'texto_largo',
      required: true,
      section: 'datos',
      help: 'Entre 20 y 2 000 caracteres; indique para qué sirve el instrumento.',
      minLength: 20,
      maxLength: 2000,
    },
    {
      key: 'tipo_accion',
      label: 'Acción realizada',
      type: 'catalogo',
      catalog: 'tipo_accion_instrumento',
      required: true,
      section: 'datos',
      help: 'Indique si es un instrumento nuevo, una actualización o una adopción.',
    },
    {
      key: 'ejes',
      label: 'Eje(s) de política que atiende',
      type: 'catalogo_multiple',
      catalog: 'eje',
      required: true,
      section: 'datos',
      help: 'Seleccione al menos un eje.',
    },
    {
      key: 'poblacion_objetivo',
      label: 'Población a la que se dirige',
      type: 'catalogo_multiple',
      catalog: 'poblacion_objetivo',
      required: true,
      section: 'datos',
      help: 'Seleccione al menos una población (quien lo aplica o quien se beneficia).',
      otro: true,
    },
    {
      key: 'estatus_instrumento',
      label: 'Estatus del instrumento',
      type: 'catalogo',
      catalog: 'estatus_instrumento',
      required: true,
      section: 'estatus',
      help: 'Etapa en que se encuentra el instrumento.',
    },
    {
      key: 'fecha_aprobacion',
      label: 'Fecha de aprobación',
      type: 'fecha',
      required: { field: 'estatus_instrumento', in: ['APROBADO', 'PUBLICADO', 'SIN_EFECTOS'] },
      section: 'estatus',
      help: 'Obligatoria si el instrumento está aprobado, publicado o sin efectos; no posterior a hoy.',
      notAfterToday: true,
    },
    {
      key: 'medio_publicacion',
      label: 'Medio de publicación',
      type: 'catalogo',
      catalog: 'medio_publicacion',
      required: { field: 'estatus_instrumento', eq: 'PUBLICADO' },
      section: 'estatus',
      help: 'Obligatorio si el instrumento está publicado.',
      otro: true,
    },
    {
      key: 'fecha_publicacion',
      label: 'Fecha de publicación',
      type: 'fecha',
      required: { field: 'estatus_instrumento', eq: 'PUBLICADO' },
      section: 'estatus',
      help: 'Obligatoria si está publicado; igual o posterior a la fecha de aprobación y no posterior a hoy.',
      notAfterToday: true,
      notBefore: 'fecha_aprobacion',
    },
    {
      key: 'instituciones_participantes',
      label: 'Instituciones que participaron en su elaboración',
      type: 'catalogo_multiple',
      catalog: 'institucion',
      required: false,
      section: 'aplicacion',
      help: 'Otras instituciones que participaron; no incluya a la institución que registra.',
    },
    {
      key: 'en_aplicacion',
      label: '¿El instrumento se aplica actualmente?',
      type: 'booleano',
      required: true,
      section: 'aplicacion',
      help: 'Solo puede responder Sí si el instrumento está aprobado o publicado.',
    },
    {
      key: 'documento',
      label: 'Documento del instrumento',
      type: 'archivo',
      required: { field: 'estatus_instrumento', in: ['APROBADO', 'PUBLICADO'] },
      section: 'aplicacion',
      help: 'PDF de hasta 20 MB; obligatorio si el instrumento está aprobado o publicado.',
      files: { kinds: ['pdf'], maxMb: 20 },
    },
  ],
  listColumns: ['tipo_instrumento', 'nombre_instrumento', 'estatus_instrumento', 'fecha_aprobacion'],
  rules: [
    {
      field: 'instituciones_participantes',
      message:
        'Instituciones que participaron en su elaboración: no debe incluir a la institución que registra.',
      check: (v) =>
        !Array.isArray(v.instituciones_participantes) ||
        v.institucion_id == null ||
        !(v.instituciones_participantes as unknown[]).includes(v.institucion_id),
    },
    {
      field: 'en_aplicacion',
      message:
        '¿El instrumento se aplica actualmente?: solo puede ser Sí si el Estatus del instrumento es Aprobado o Publicado.',
      check: (v) =>
        v.en_aplicacion !== true ||
        v.estatus_instrumento == null ||
        v.estatus_instrumento === 'APROBADO' ||
        v.estatus_instrumento === 'PUBLICADO',
    },
  ],
  example: {
    institucion_id: 'SEGOB',
    ambito: 'FEDERAL',
    entidad_federativa: null,
    municipio: null,
    periodo_anio: 2024,
    periodo_trimestre: 1,
    pn_acciones: [],
    tipo_instrumento: 'PROTOCOLO',
    nombre_instrumento:
      'Protocolo Nacional de Coordinación Interinstitucional para la Protección de Niñas, Niños y Adolescentes Víctimas de Trata de Personas',
    objetivo:
      'Establecer las acciones coordinadas que deben seguir las instituciones federales para identificar, canalizar y proteger a niñas, niños y adolescentes víctimas o posibles víctimas de trata de personas, con enfoque de derechos humanos e interés superior de la niñez.',
    tipo_accion: 'ACTUALIZACION',
    ejes: ['ATENCION', 'COORDINACION'],
    poblacion_objetivo: ['SP_FEDERAL', 'PROCURACION_JUSTICIA', 'ATENCION_VICTIMAS'],
    estatus_instrumento: 'PUBLICADO',
    fecha_aprobacion: '2024-03-14',
    medio_publicacion: 'DOF',
    fecha_publicacion: '2024-04-02',
    instituciones_participantes: ['SNDIF', 'FGR', 'CEAV', 'INM'],
    en_aplicacion: true,
    documento: [],
  },
} satisfies ModuleDef;
