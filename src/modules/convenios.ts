// Módulo 2 — Convenios (spec §2.2, 5 variables).
import type { ModuleDef } from './types.js';

export const convenios = {
  key: 'convenios',
  number: 2,
  name: 'Convenios',
  group: 'coordinacion',
  folioPrefix: 'CON',
  description:
    'Un registro = un convenio de colaboración en materia de trata con instituciones nacionales, OSC, academia o sector privado.',
  mainDate: 'fecha_firma',
  formNote:
    'Los convenios cuya contraparte es un gobierno extranjero o un organismo internacional se registran solo en el módulo Colaboración Internacional, para no contarlos dos veces.',
  sections: [
    { key: 'convenio', label: 'Datos del convenio' },
    { key: 'vigencia', label: 'Firma y vigencia' },
  ],
  fields: [
    {
      key: 'tipo_convenio',
      label: 'Tipo de convenio (según la contraparte)',
      type: 'catalogo',
      catalog: 'tipo_convenio',
      required: true,
      section: 'convenio',
      help: 'Seleccione la naturaleza del convenio según el sector de la contraparte.',
      otro: true,
    },
    {
      key: 'contraparte',
      label: 'Contraparte(s) firmante(s)',
      type: 'texto',
      required: true,
      section: 'convenio',
      help: 'Entre 3 y 500 caracteres; separe varios nombres con ";" y no anote solo a su institución.',
      minLength: 3,
      maxLength: 500,
    },
    {
      key: 'objeto',
      label: 'Objeto del convenio',
      type: 'texto_largo',
      required: true,
      section: 'convenio',
      help: 'Entre 20 y 2 000 caracteres; describa los compromisos de las partes.',
      minLength: 20,
      maxLength: 2000,
    },
    {
      key: 'fecha_firma',
      label: 'Fecha de firma',
      type: 'fecha',
      required: true,
      section: 'vigencia',
      help: 'No posterior a hoy.',
      notAfterToday: true,
    },
    {
      key: 'fecha_fin_vigencia',
      label: 'Fecha de término de la vigencia',
      type: 'fecha',
      required: false,
      section: 'vigencia',
      help: 'Igual o posterior a la fecha de firma; déjela vacía si la vigencia es indefinida.',
      notBefore: 'fecha_firma',
    },
  ],
  listColumns: ['tipo_convenio', 'contraparte', 'fecha_firma', 'fecha_fin_vigencia'],
  rules: [
    {
      field: 'contraparte',
      message: 'Contraparte(s) firmante(s): no puede ser únicamente la institución que registra.',
      check: (v) => {
        if (typeof v.contraparte !== 'string' || typeof v.institucion_id !== 'string') return true;
        const own = v.institucion_id.trim().toUpperCase();
        const parts = v.contraparte
          .split(';')
          .map((p) => p.trim().toUpperCase())
          .filter((p) => p !== '');
        return parts.length === 0 || parts.some((p) => p !== own);
      },
    },
  ],
  dbRules: [
    {
      // The cross rule above runs in the form too (institution code); this one also knows its name and acronym.
      kind: 'not-only-own-institution',
      separator: ';',
      field: 'contraparte',
      level: 'error',
      message: 'Contraparte(s) firmante(s): no puede ser únicamente la institución que registra.',
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
    tipo_convenio: 'COLABORACION_ACADEMIA',
    contraparte: 'Universidad Nacional Autónoma de México; Instituto Nacional de Ciencias Penales',
    objeto:
      'Colaborar en el diseño e impartición de un programa de formación especializada en identificación de víctimas de trata de personas dirigido a personas servidoras públicas federales y estatales.',
    fecha_firma: '2024-05-20',
    fecha_fin_vigencia: '2024-12-31',
  },
} satisfies ModuleDef;
