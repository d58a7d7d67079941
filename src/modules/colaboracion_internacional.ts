// Módulo 5 — Colaboración Internacional (spec §2.5, 7 variables).
import type { ModuleDef } from './types.js';

const CONTRAPARTE_CON_PAIS = ['GOBIERNO_EXTRANJERO', 'AGENCIA_COOPERACION', 'REPRESENTACION_DIPLOMATICA'] as const;

export const colaboracionInternacional = {
  key: 'colaboracion_internacional',
  number: 5,
  name: 'Colaboración Internacional',
  group: 'coordinacion',
  folioPrefix: 'CIN',
  description:
    'Un registro = un instrumento de colaboración en materia de trata firmado con un organismo internacional, un gobierno extranjero o sus agencias.',
  mainDate: 'fecha_firma',
  formNote:
    'Aquí se registran solo los instrumentos con contraparte extranjera o internacional; los convenios con contrapartes nacionales van en el módulo Convenios.',
  sections: [
    { key: 'instrumento', label: 'Instrumento y contraparte' },
    { key: 'vigencia', label: 'Objeto, firma y vigencia' },
  ],
  fields: [
    {
      key: 'tipo_instrumento_int',
      label: 'Tipo de instrumento',
      type: 'catalogo',
      catalog: 'tipo_instrumento_internacional',
      required: true,
      section: 'instrumento',
      help: 'Naturaleza jurídica del instrumento; un acuerdo interinstitucional requiere dictamen de la SRE.',
      otro: true,
    },
    {
      key: 'contraparte',
      label: 'Organismo o gobierno contraparte',
      type: 'texto',
      required: true,
      section: 'instrumento',
      help: 'Entre 3 y 300 caracteres.',
      minLength: 3,
      maxLength: 300,
    },
    {
      key: 'tipo_contraparte',
      label: 'Tipo de contraparte',
      type: 'catalogo',
      catalog: 'tipo_contraparte_int',
      required: true,
      section: 'instrumento',
      help: 'Sistema ONU, organismo regional, gobierno extranjero, agencia de cooperación…',
      otro: true,
    },
    {
      key: 'paises',
      label: 'País(es) de la contraparte',
      type: 'catalogo_multiple',
      catalog: 'pais',
      required: { field: 'tipo_contraparte', in: CONTRAPARTE_CON_PAIS },
      section: 'instrumento',
      help: 'Obligatorio para gobiernos, agencias o representaciones extranjeras; no puede ser solo México.',
    },
    {
      key: 'objeto',
      label: 'Objeto de la colaboración',
      type: 'texto_largo',
      required: true,
      section: 'vigencia',
      help: 'Entre 20 y 2 000 caracteres.',
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
  listColumns: ['tipo_instrumento_int', 'contraparte', 'tipo_contraparte', 'fecha_firma'],
  rules: [
    {
      field: 'tipo_instrumento_int',
      level: 'advertencia',
      message:
        'Tipo de instrumento: un acuerdo interinstitucional debe informarse a la Secretaría de Relaciones Exteriores y contar con su dictamen (Ley sobre la Celebración de Tratados, art. 7).',
      check: (v) => v.tipo_instrumento_int !== 'ACUERDO_INTERINSTITUCIONAL',
    },
    {
      field: 'paises',
      message: 'País(es) de la contraparte: no puede contener únicamente México.',
      check: (v) => !Array.isArray(v.paises) || v.paises.length === 0 || v.paises.some((p) => p !== 'MEX'),
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
    tipo_instrumento_int: 'PLAN_ACCION',
    contraparte:
      'Secretaría contra la Violencia Sexual, Explotación y Trata de Personas (SVET) de la República de Guatemala',
    tipo_contraparte: 'GOBIERNO_EXTRANJERO',
    paises: ['GTM'],
    objeto:
      'Plan de acción binacional 2024 para fortalecer la identificación, repatriación asistida y atención de víctimas de trata de personas en la frontera sur, con intercambio de protocolos y capacitación conjunta.',
    fecha_firma: '2024-08-14',
    fecha_fin_vigencia: '2024-12-31',
  },
} satisfies ModuleDef;
