// Módulo 3 — Avances Legislativos (spec §2.3, 6 variables).
// The order of government of the norm is the metadata ambito / entidad_federativa / municipio.
import type { ModuleDef } from './types.js';

const PUBLICADOS = ['EXPEDICION', 'REFORMA_ADICION', 'ABROGACION_DEROGACION'] as const;

export const avancesLegislativos = {
  key: 'avances_legislativos',
  number: 3,
  name: 'Avances Legislativos',
  group: 'coordinacion',
  folioPrefix: 'LEG',
  description:
    'Un registro = un acto legislativo o normativo sobre un ordenamiento (ley, reglamento, lineamientos, código, bando…) en materia de trata.',
  mainDate: 'fecha_avance',
  formNote:
    'El orden de gobierno del ordenamiento es el Ámbito del registro (y su entidad federativa o municipio).',
  sections: [
    { key: 'ordenamiento', label: 'Ordenamiento y avance' },
    { key: 'publicacion', label: 'Fecha, armonización y fuente' },
  ],
  fields: [
    {
      key: 'tipo_ordenamiento',
      label: 'Tipo de ordenamiento',
      type: 'catalogo',
      catalog: 'tipo_ordenamiento',
      required: true,
      section: 'ordenamiento',
      help: 'Bando y reglamento municipal solo en ámbito municipal; constitución local solo en ámbito estatal.',
      otro: true,
    },
    {
      key: 'tipo_avance',
      label: 'Tipo de avance',
      type: 'catalogo',
      catalog: 'tipo_avance_legislativo',
      required: true,
      section: 'ordenamiento',
      help: 'Etapa alcanzada (iniciativa, dictamen, aprobación, expedición, reforma o abrogación).',
    },
    {
      key: 'denominacion',
      label: 'Ordenamiento y artículos',
      type: 'texto',
      required: true,
      section: 'ordenamiento',
      help: 'Entre 5 y 500 caracteres; nombre del ordenamiento y, en reformas, los artículos modificados.',
      minLength: 5,
      maxLength: 500,
    },
    {
      key: 'fecha_avance',
      label: 'Fecha de publicación (o de presentación o aprobación, si aún no se publica)',
      type: 'fecha',
      required: true,
      section: 'publicacion',
      help: 'No posterior a hoy.',
      notAfterToday: true,
    },
    {
      key: 'armoniza_ley_general',
      label: '¿Armoniza con la Ley General en materia de trata?',
      type: 'booleano',
      required: true,
      section: 'publicacion',
      help: 'Responda Sí o No.',
    },
    {
      key: 'fuente',
      label: 'Enlace a la publicación o al documento oficial',
      type: 'url',
      required: { field: 'tipo_avance', in: PUBLICADOS },
      section: 'publicacion',
      help: 'Dirección que inicia con https://; obligatoria en expedición, reforma o abrogación.',
    },
  ],
  listColumns: ['tipo_ordenamiento', 'tipo_avance', 'denominacion', 'fecha_avance'],
  rules: [
    {
      field: 'tipo_ordenamiento',
      message:
        'Tipo de ordenamiento: Bando de policía y gobierno y Reglamento municipal solo se registran con Ámbito municipal.',
      check: (v) =>
        v.ambito == null ||
        (v.tipo_ordenamiento !== 'BANDO' && v.tipo_ordenamiento !== 'REGLAMENTO_MUNICIPAL') ||
        v.ambito === 'MUNICIPAL',
    },
    {
      field: 'tipo_ordenamiento',
      message: 'Tipo de ordenamiento: Constitución local solo se registra con Ámbito estatal.',
      check: (v) => v.ambito == null || v.tipo_ordenamiento !== 'CONSTITUCION_LOCAL' || v.ambito === 'ESTATAL',
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
    tipo_ordenamiento: 'LEY',
    tipo_avance: 'REFORMA_ADICION',
    denominacion:
      'Ley General para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas y para la Protección y Asistencia a las Víctimas de estos Delitos; decreto por el que se reforman diversas disposiciones',
    fecha_avance: '2024-06-07',
    armoniza_ley_general: true,
    fuente: 'https://www.diputados.gob.mx/LeyesBiblio/ref/lgpsedmtp.htm',
  },
} satisfies ModuleDef;
