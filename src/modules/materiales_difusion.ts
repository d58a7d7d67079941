import type { ModuleDef } from './types.js';

// Módulo 8 — Materiales de Difusión (spec §2.8, 6 variables).

/** Physical TIPO_MATERIAL codes (spec §2.8 / §3.6): tiraje is required. */
const TIPOS_MATERIAL_FISICO = [
  'CARTEL',
  'TRIPTICO_FOLLETO',
  'GUIA_MANUAL',
  'LONA_BANNER',
  'UTILITARIO',
  'HISTORIETA',
  'MATERIAL_DIDACTICO',
] as const;

/** Purely digital TIPO_MATERIAL codes: tiraje must be 0 or empty. `OTRO` is neither (tiraje optional). */
const TIPOS_MATERIAL_DIGITAL = ['INFOGRAFIA', 'VIDEO', 'SPOT_AUDIO', 'SPOT_TV', 'PIEZA_DIGITAL'] as const;

export const materialesDifusion = {
  key: 'materiales_difusion',
  number: 8,
  name: 'Materiales de Difusión',
  group: 'prevencion',
  folioPrefix: 'MAT',
  description:
    'Material de difusión producido por la institución (una versión; sus traducciones se registran como más idiomas del mismo material).',
  mainDate: 'created_at',
  formNote:
    'Registre cada material una sola vez: una traducción a otro idioma o lengua se agrega en «Idioma(s) o lengua(s)» del mismo registro.',
  sections: [
    { key: 'material', label: 'Datos del material' },
    { key: 'produccion', label: 'Producción y archivo' },
  ],
  fields: [
    // 1
    {
      key: 'titulo',
      label: 'Título del material',
      type: 'texto',
      required: true,
      section: 'material',
      minLength: 3,
      help: 'Entre 3 y 300 caracteres.',
    },
    // 2
    {
      key: 'tipo_material',
      label: 'Tipo de material',
      type: 'catalogo',
      catalog: 'tipo_material',
      required: true,
      section: 'material',
      otro: true,
      help: 'Cartel, tríptico, video, spot u otro; si elige «Otro», especifíquelo.',
    },
    // 3
    {
      key: 'poblacion_objetivo',
      label: 'Población objetivo',
      type: 'catalogo_multiple',
      catalog: 'poblacion_objetivo',
      required: true,
      section: 'material',
      otro: true,
      help: 'Seleccione al menos una población.',
    },
    // 4
    {
      key: 'idiomas',
      label: 'Idioma(s) o lengua(s)',
      type: 'catalogo_multiple',
      catalog: 'idioma',
      required: true,
      section: 'material',
      otro: true,
      help: 'Seleccione al menos uno: español, lenguas extranjeras o indígenas, LSM o Braille.',
    },
    // 5
    {
      key: 'tiraje',
      label: 'Tiraje (ejemplares producidos)',
      type: 'entero',
      required: { field: 'tipo_material', in: TIPOS_MATERIAL_FISICO },
      section: 'produccion',
      help: 'Obligatorio para materiales físicos; debe ser 0 o quedar vacío en materiales digitales.',
    },
    // 6
    {
      key: 'archivo_material',
      label: 'Archivo del material',
      type: 'archivo',
      required: true,
      section: 'produccion',
      files: { maxFiles: 1, kinds: ['pdf', 'png', 'jpg', 'mp3', 'mp4'], maxMb: 100 },
      help: 'Un archivo PDF, PNG, JPG, MP3 o MP4 de hasta 100 MB.',
    },
  ],
  listColumns: ['titulo', 'tipo_material', 'idiomas', 'tiraje'],
  rules: [
    {
      field: 'tiraje',
      message: 'Tiraje (ejemplares producidos): debe ser 0 o quedar vacío para un Tipo de material digital.',
      check: (v) =>
        typeof v.tipo_material !== 'string' ||
        !(TIPOS_MATERIAL_DIGITAL as readonly string[]).includes(v.tipo_material) ||
        v.tiraje == null ||
        v.tiraje === 0,
    },
  ],
  example: {
    institucion_id: 'SEGOB',
    ambito: 'FEDERAL',
    entidad_federativa: null,
    municipio: null,
    periodo_anio: 2024,
    periodo_trimestre: 3,
    pn_acciones: [],
    titulo: 'Tríptico «Ofertas de empleo falsas: así te enganchan los tratantes»',
    tipo_material: 'TRIPTICO_FOLLETO',
    poblacion_objetivo: ['JUVENTUDES', 'MIGRANTES', 'POBLACION_GENERAL'],
    idiomas: ['ES', 'EN', 'HT'],
    tiraje: 5000,
    archivo_material: [],
  },
} satisfies ModuleDef;
