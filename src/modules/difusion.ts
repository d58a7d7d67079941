import type { ModuleDef } from './types.js';

// Módulo 7 — Difusión (spec §2.7, 13 variables).

const PRESENCIAL_O_MIXTA = ['PRESENCIAL', 'MIXTA'] as const;
const VIRTUAL_O_MIXTA = ['VIRTUAL', 'MIXTA'] as const;

// materiales_utilizados: the material_ref catalog (spec §3.7) lists only materials (module 8) sent or validated, of
// any institution, and RecordService checks every reference against it.

export const difusion = {
  key: 'difusion',
  number: 7,
  name: 'Difusión',
  group: 'prevencion',
  folioPrefix: 'DIF',
  description: 'Acción o campaña de difusión, presencial o virtual, para prevenir la trata de personas.',
  mainDate: 'fecha_inicio',
  sections: [
    { key: 'accion', label: 'Datos de la acción' },
    { key: 'contenido', label: 'Medios, población y mensajes' },
    { key: 'alcance', label: 'Alcance y materiales' },
    { key: 'evidencia', label: 'Evidencia' },
  ],
  fields: [
    // 1
    {
      key: 'nombre_accion',
      label: 'Nombre de la acción o campaña',
      type: 'texto',
      required: true,
      section: 'accion',
      minLength: 5,
      help: 'Entre 5 y 300 caracteres.',
    },
    // 2
    {
      key: 'tipo_accion',
      label: 'Tipo de acción de difusión',
      type: 'catalogo',
      catalog: 'tipo_accion_difusion',
      required: true,
      section: 'accion',
      otro: true,
      help: 'Campaña, módulo informativo, brigada, evento público u otra; si elige «Otra», especifíquela.',
    },
    // 3
    {
      key: 'modalidad',
      label: 'Modalidad',
      type: 'catalogo',
      catalog: 'modalidad_evento',
      required: true,
      section: 'accion',
      help: 'Presencial, virtual o mixta.',
    },
    // 4
    {
      key: 'fecha_inicio',
      label: 'Fecha de inicio',
      type: 'fecha',
      required: true,
      section: 'accion',
      notAfterToday: true,
      help: 'No posterior a hoy.',
    },
    // 5
    {
      key: 'fecha_fin',
      label: 'Fecha de término',
      type: 'fecha',
      required: true,
      section: 'accion',
      notBefore: 'fecha_inicio',
      help: 'Igual o posterior a la fecha de inicio.',
    },
    // 6
    {
      key: 'medios',
      label: 'Medios o canales utilizados',
      type: 'catalogo_multiple',
      catalog: 'medio_difusion',
      required: true,
      section: 'contenido',
      otro: true,
      help: 'Seleccione al menos uno; incluya «Contacto presencial» si la modalidad es presencial o mixta.',
    },
    // 7
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
    // 8
    {
      key: 'temas',
      label: 'Mensajes o temas difundidos',
      type: 'catalogo_multiple',
      catalog: 'tema_difusion',
      required: true,
      section: 'contenido',
      otro: true,
      help: 'Seleccione al menos un tema.',
    },
    // 9
    {
      key: 'personas_alcanzadas',
      label: 'Personas alcanzadas de forma presencial',
      type: 'entero',
      required: { field: 'modalidad', in: PRESENCIAL_O_MIXTA },
      section: 'alcance',
      help: 'Obligatorio en modalidad presencial o mixta; número entero igual o mayor que 0.',
    },
    // 10
    {
      key: 'alcance_digital',
      label: 'Alcance digital (impresiones o reproducciones)',
      type: 'entero',
      required: { field: 'modalidad', in: VIRTUAL_O_MIXTA },
      section: 'alcance',
      help: 'Obligatorio en modalidad virtual o mixta; use la cifra que reporta la plataforma.',
    },
    // 11
    {
      key: 'materiales_distribuidos',
      label: 'Piezas de material distribuidas',
      type: 'entero',
      required: false,
      section: 'alcance',
      help: 'Piezas impresas o físicas entregadas; número entero igual o mayor que 0.',
    },
    // 12
    {
      key: 'materiales_utilizados',
      label: 'Materiales de difusión utilizados',
      type: 'catalogo_multiple',
      catalog: 'material_ref',
      required: false,
      section: 'alcance',
      help: 'Materiales registrados en el módulo de Materiales de Difusión (enviados o validados) de cualquier institución.',
    },
    // 13
    {
      key: 'evidencia',
      label: 'Evidencia de la acción',
      type: 'archivo',
      required: true,
      section: 'evidencia',
      files: { maxFiles: 5 },
      help: 'Hasta 5 archivos (capturas con estadísticas de alcance, fotografías sin menores de edad identificables).',
    },
  ],
  listColumns: ['nombre_accion', 'tipo_accion', 'modalidad', 'fecha_inicio'],
  rules: [
    {
      field: 'medios',
      message:
        'Medios o canales utilizados: debe incluir «Contacto presencial» cuando la Modalidad es presencial o mixta.',
      when: { field: 'modalidad', in: PRESENCIAL_O_MIXTA },
      check: (v) => {
        const m = v.medios;
        if (!Array.isArray(m) || m.length === 0) return true;
        if (v.modalidad !== 'PRESENCIAL' && v.modalidad !== 'MIXTA') return true;
        return m.includes('PRESENCIAL');
      },
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
    nombre_accion: 'Campaña «Corazón Azul» 2024 por el Día Mundial contra la Trata de Personas',
    tipo_accion: 'CAMPANA_DIGITAL',
    modalidad: 'MIXTA',
    fecha_inicio: '2024-07-22',
    fecha_fin: '2024-08-02',
    medios: ['FACEBOOK', 'X', 'YOUTUBE', 'SITIO_WEB', 'PRESENCIAL'],
    poblacion_objetivo: ['POBLACION_GENERAL', 'JUVENTUDES', 'MIGRANTES'],
    temas: ['QUE_ES_TRATA', 'FORMAS_ENGANCHE', 'RIESGOS_DIGITALES', 'DENUNCIA'],
    personas_alcanzadas: 1850,
    alcance_digital: 245300,
    materiales_distribuidos: 3000,
    materiales_utilizados: [],
    evidencia: [],
  },
} satisfies ModuleDef;
