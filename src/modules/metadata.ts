import type { FieldDef } from './types.js';

// The spec's common metadata (§1.2) that a client may send, described like fields so the
// same validators, form inputs and statistics dimensions serve them.
export const METADATA_FIELDS: readonly FieldDef[] = [
  { key: 'institucion_id', label: 'Institución que registra', type: 'catalogo', catalog: 'institucion', required: true, section: 'metadatos' },
  { key: 'ambito', label: 'Ámbito', type: 'catalogo', catalog: 'ambito', required: true, section: 'metadatos' },
  {
    key: 'entidad_federativa',
    label: 'Entidad federativa donde aplica la acción',
    type: 'entidad',
    required: { field: 'ambito', in: ['ESTATAL', 'MUNICIPAL'] },
    section: 'metadatos',
    help: 'Obligatoria para los ámbitos estatal y municipal; en el federal, vacía significa «nacional».',
  },
  {
    key: 'municipio',
    label: 'Municipio donde aplica la acción',
    type: 'municipio',
    required: { field: 'ambito', eq: 'MUNICIPAL' },
    stateField: 'entidad_federativa',
    section: 'metadatos',
    help: 'Obligatorio en el ámbito municipal; debe pertenecer a la entidad elegida.',
  },
  {
    key: 'periodo_anio',
    label: 'Año que se reporta',
    type: 'entero',
    required: true,
    min: 2012,
    section: 'metadatos',
    help: 'De 2012 (Ley General) al año en curso.',
  },
  { key: 'periodo_trimestre', label: 'Trimestre que se reporta', type: 'entero', required: true, min: 1, max: 4, section: 'metadatos' },
  {
    key: 'pn_acciones',
    label: 'Alineación al Programa Nacional',
    type: 'catalogo_multiple',
    catalog: 'pn_accion',
    required: false,
    section: 'metadatos',
  },
];
