import type { ModuleDef, Values } from './types.js';

// Módulo 9 — Atención a Víctimas y Posibles Víctimas (spec §2.9; privacidad §1.5).
// Sin texto libre: ningún texto_largo, ningún complemento `_otro`; el único texto es el seudónimo folio_persona.

/** Grupos de edad de niñas, niños y adolescentes (spec §3.2 GRUPO_EDAD, grupo NNA). */
const GRUPOS_NNA: readonly string[] = ['E00_05', 'E06_11', 'E12_14', 'E15_17', 'NNA_SD'];
/** Grupos de edad de personas adultas (spec §3.2 GRUPO_EDAD, grupo Adulta). */
const GRUPOS_ADULTOS: readonly string[] = [
  'E18_24',
  'E25_29',
  'E30_39',
  'E40_49',
  'E50_59',
  'E60_MAS',
  'ADULTO_SD',
];

/** Banda de GRUPO_EDAD que corresponde a una edad exacta en años cumplidos. */
function grupoDeEdad(edad: number): string {
  if (edad <= 5) return 'E00_05';
  if (edad <= 11) return 'E06_11';
  if (edad <= 14) return 'E12_14';
  if (edad <= 17) return 'E15_17';
  if (edad <= 24) return 'E18_24';
  if (edad <= 29) return 'E25_29';
  if (edad <= 39) return 'E30_39';
  if (edad <= 49) return 'E40_49';
  if (edad <= 59) return 'E50_59';
  return 'E60_MAS';
}

const vacio = (x: unknown): boolean => x === null || x === undefined || x === '';
const lista = (x: unknown): string[] => (Array.isArray(x) ? (x as string[]) : []);
const esNna = (v: Values): boolean => GRUPOS_NNA.includes(v.grupo_edad as string);
const esAdulta = (v: Values): boolean => GRUPOS_ADULTOS.includes(v.grupo_edad as string);

export const victimas = {
  key: 'victimas',
  number: 9,
  name: 'Atención a Víctimas y Posibles Víctimas',
  group: 'atencion',
  folioPrefix: 'VIC',
  description:
    'Una persona víctima, ofendida o posible víctima atendida o identificada por la institución, con datos generales no identificativos.',
  mainDate: 'fecha_identificacion',
  formNote:
    'Módulo con datos personales y sensibles seudonimizados: nunca capture nombres, CURP, RFC, domicilios, teléfonos, correos, fotografías ni números de carpeta de investigación. Este módulo no admite texto libre.',
  sections: [
    { key: 'datos_generales', label: 'Datos generales' },
    { key: 'perfil', label: 'Perfil de la persona' },
    { key: 'explotacion', label: 'Explotación y enganche' },
    { key: 'ruta', label: 'Ruta y traslado' },
    { key: 'atencion', label: 'Atención y protección' },
  ],
  fields: [
    // ---- 1–6 Datos generales ----
    {
      key: 'folio_persona',
      label: 'Folio interno de la persona (seudónimo)',
      type: 'texto',
      required: false,
      section: 'datos_generales',
      help: 'Código interno de la institución (4 a 30 mayúsculas, dígitos o guiones); nunca nombre, CURP, fecha de nacimiento ni número de carpeta.',
      maxLength: 30,
      pattern: {
        regex: '^[A-Z0-9-]{4,30}$',
        message: 'Debe tener de 4 a 30 caracteres: letras mayúsculas sin acentos, dígitos o guiones.',
      },
      forbidPatterns: [
        {
          regex: '^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[A-Z0-9][0-9]$',
          message:
            'Parece una CURP: el folio debe ser un seudónimo interno de la institución, nunca una CURP.',
        },
      ],
      sensitivity: 'P',
    },
    {
      key: 'condicion',
      label: 'Condición de la persona',
      type: 'catalogo',
      catalog: 'condicion_victima',
      required: true,
      section: 'datos_generales',
      help: 'Víctima directa, persona ofendida o posible víctima.',
      sensitivity: 'S',
    },
    {
      key: 'fecha_identificacion',
      label: 'Fecha de identificación o primer contacto',
      type: 'fecha',
      required: true,
      section: 'datos_generales',
      help: 'No posterior a hoy; define el periodo del registro.',
      notAfterToday: true,
      sensitivity: 'P',
    },
    {
      key: 'via_identificacion',
      label: 'Vía de identificación',
      type: 'catalogo',
      catalog: 'via_identificacion',
      required: true,
      section: 'datos_generales',
      help: 'Cómo llegó la persona a la institución.',
      sensitivity: 'P',
    },
    {
      key: 'operativo_id',
      label: 'Operativo de rescate relacionado',
      type: 'catalogo',
      catalog: 'operativo_ref',
      required: { field: 'via_identificacion', eq: 'OPERATIVO' },
      section: 'datos_generales',
      help: 'Obligatorio si la vía de identificación es un operativo; la fecha de identificación no puede ser anterior al inicio del operativo.',
      sensitivity: 'P',
    },
    {
      key: 'denuncia_carpeta',
      label: '¿Existe denuncia o carpeta de investigación?',
      type: 'catalogo',
      catalog: 'si_no_ns',
      required: true,
      section: 'datos_generales',
      help: 'Solo indique si existe; nunca capture el número de carpeta.',
      sensitivity: 'S',
    },
    // ---- 7–20 Perfil de la persona ----
    {
      key: 'sexo',
      label: 'Sexo',
      help: 'Sexo de la persona según el registro o su propia declaración; se usa en las estadísticas del art. 88.',
      type: 'catalogo',
      catalog: 'sexo',
      required: true,
      section: 'perfil',
      sensitivity: 'P',
    },
    {
      key: 'identidad_genero',
      label: 'Identidad de género',
      type: 'catalogo',
      catalog: 'identidad_genero',
      required: false,
      section: 'perfil',
      help: 'Solo si la persona la manifiesta; nunca se infiere.',
      sensitivity: 'S',
    },
    {
      key: 'edad',
      label: 'Edad (años cumplidos)',
      type: 'entero',
      required: false,
      section: 'perfil',
      help: 'Entre 0 y 110; si se captura, el grupo de edad se calcula a partir de ella.',
      max: 110,
      sensitivity: 'P',
    },
    {
      key: 'grupo_edad',
      label: 'Grupo de edad',
      type: 'catalogo',
      catalog: 'grupo_edad',
      required: true,
      section: 'perfil',
      derive: { from: ['edad'], value: (v) => (typeof v.edad === 'number' && Number.isInteger(v.edad) && v.edad >= 0 ? grupoDeEdad(v.edad) : undefined) },
      help: 'Debe corresponder a la edad; si no se conoce y hay duda de que sea menor de 18 años, use «Menor de 18 años, edad no determinada».',
      sensitivity: 'P',
    },
    {
      key: 'estado_civil',
      label: 'Estado civil',
      type: 'catalogo',
      catalog: 'estado_civil',
      required: true,
      section: 'perfil',
      help: 'Se admite «No especificado».',
      sensitivity: 'P',
    },
    {
      key: 'nacionalidad',
      label: 'Nacionalidad',
      type: 'pais',
      catalog: 'pais',
      required: true,
      section: 'perfil',
      help: 'Use «No especificado» (XXX) si se desconoce o «Persona apátrida» (XXA).',
      allowCodes: ['XXX', 'XXA'],
      sensitivity: 'P',
    },
    {
      key: 'pais_origen',
      label: 'País de origen o de residencia habitual',
      type: 'pais',
      catalog: 'pais',
      required: true,
      section: 'perfil',
      help: 'Por omisión, el de la nacionalidad; se admite «No especificado» (XXX).',
      allowCodes: ['XXX'],
      sensitivity: 'P',
    },
    {
      key: 'entidad_origen',
      label: 'Entidad federativa de origen',
      type: 'entidad',
      catalog: 'entidad',
      required: { field: 'pais_origen', eq: 'MEX' },
      section: 'perfil',
      help: 'Obligatoria si el país de origen es México; se admite «No especificada» (99).',
      allowCodes: ['99'],
      sensitivity: 'P',
    },
    {
      key: 'municipio_origen',
      label: 'Municipio de origen',
      type: 'municipio',
      catalog: 'municipio',
      required: false,
      section: 'perfil',
      help: 'Debe pertenecer a la entidad de origen; se admite «Municipio no especificado».',
      stateField: 'entidad_origen',
      allowCodes: ['999'],
      sensitivity: 'P',
    },
    {
      key: 'autoadscripcion',
      label: 'Autoadscripción étnica',
      type: 'catalogo_multiple',
      catalog: 'autoadscripcion',
      required: false,
      section: 'perfil',
      help: 'Solo por autoidentificación; «Ninguno» y «No especificado» no se combinan con otras opciones.',
      exclusive: ['NINGUNA', 'NE'],
      sensitivity: 'S',
    },
    {
      key: 'discapacidad',
      label: '¿Tiene alguna discapacidad?',
      help: 'Si la persona tiene alguna discapacidad (factor de vulnerabilidad). Dato sensible.',
      type: 'catalogo',
      catalog: 'si_no_ns',
      required: false,
      section: 'perfil',
      sensitivity: 'S',
    },
    {
      key: 'escolaridad',
      label: 'Escolaridad (último nivel cursado)',
      type: 'catalogo',
      catalog: 'escolaridad',
      required: false,
      section: 'perfil',
      help: 'Para 0 a 5 años solo «Sin escolaridad», «Preescolar» o «No especificado».',
      sensitivity: 'P',
    },
    {
      key: 'calidad_migratoria',
      label: 'Calidad (condición) migratoria',
      type: 'catalogo',
      catalog: 'calidad_migratoria',
      required: {
        any: [
          { field: 'nacionalidad', ne: 'MEX' },
          { field: 'pais_destino', ne: 'MEX' },
        ],
      },
      section: 'perfil',
      help: 'Obligatoria si la persona no es mexicana o el destino no es México; «No aplica» solo para personas mexicanas con destino en México.',
      sensitivity: 'S',
    },
    {
      key: 'acompanamiento_nna',
      label: 'Situación de acompañamiento (niñas, niños y adolescentes)',
      type: 'catalogo',
      catalog: 'acompanamiento_nna',
      required: { field: 'grupo_edad', in: GRUPOS_NNA },
      section: 'perfil',
      help: 'Obligatoria para menores de 18 años; para las demás personas, «No aplica».',
      sensitivity: 'P',
    },
    // ---- 21–26 Explotación y enganche ----
    {
      key: 'modalidades',
      label: 'Modalidad(es) de explotación (victimización)',
      type: 'catalogo_multiple',
      catalog: 'modalidad_explotacion',
      required: true,
      section: 'explotacion',
      help: 'Al menos una; «Aún no determinada» solo para posibles víctimas u ofendidos y no se combina con otras.',
      exclusive: ['NO_DETERMINADA'],
      sensitivity: 'S',
    },
    {
      key: 'tipos_penales',
      label: 'Tipo(s) penal(es) de la Ley General señalados',
      type: 'catalogo_multiple',
      catalog: 'tipo_penal',
      required: false,
      section: 'explotacion',
      help: 'Solo si existe denuncia o carpeta de investigación.',
      onlyIf: { field: 'denuncia_carpeta', eq: 'SI' },
      sensitivity: 'S',
    },
    {
      key: 'formas_reclutamiento',
      label: 'Forma(s) de reclutamiento o enganche',
      type: 'catalogo_multiple',
      catalog: 'forma_enganche',
      required: true,
      section: 'explotacion',
      help: 'Al menos una; «No especificado» no se combina con otras.',
      exclusive: ['NE'],
      sensitivity: 'S',
    },
    {
      key: 'medios_contacto',
      label: 'Medio(s) de contacto en el enganche',
      type: 'catalogo_multiple',
      catalog: 'medio_contacto',
      required: true,
      section: 'explotacion',
      help: 'Al menos uno; «No especificado» no se combina con otros.',
      exclusive: ['NE'],
      sensitivity: 'P',
    },
    {
      key: 'medios_comisivos',
      label: 'Medios comisivos',
      type: 'catalogo_multiple',
      catalog: 'medio_comisivo',
      required: { field: 'grupo_edad', in: GRUPOS_ADULTOS },
      section: 'explotacion',
      help: 'Obligatorio para personas adultas; «No se requiere acreditar» aplica a menores de edad o personas sin capacidad de comprender el hecho.',
      sensitivity: 'S',
    },
    {
      key: 'vinculo_tratante',
      label: 'Vínculo con la persona tratante',
      help: 'Relación de la persona con quien la explotó (familiar, pareja, empleador…). Dato sensible.',
      type: 'catalogo',
      catalog: 'vinculo_tratante',
      required: false,
      section: 'explotacion',
      sensitivity: 'S',
    },
    // ---- 27–38 Ruta y traslado ----
    {
      key: 'pais_captacion',
      label: 'País donde fue captada',
      type: 'pais',
      catalog: 'pais',
      required: true,
      section: 'ruta',
      help: 'Se admite «No especificado» (XXX).',
      allowCodes: ['XXX'],
      sensitivity: 'P',
    },
    {
      key: 'entidad_captacion',
      label: 'Entidad federativa donde fue captada',
      type: 'entidad',
      catalog: 'entidad',
      required: { field: 'pais_captacion', eq: 'MEX' },
      section: 'ruta',
      help: 'Obligatoria si fue captada en México; se admite «No especificada» (99).',
      allowCodes: ['99'],
      sensitivity: 'P',
    },
    {
      key: 'pais_destino',
      label: 'País de destino (donde ocurrió la explotación)',
      type: 'pais',
      catalog: 'pais',
      required: true,
      section: 'ruta',
      help: 'Se admite «No especificado» (XXX).',
      allowCodes: ['XXX'],
      sensitivity: 'P',
    },
    {
      key: 'entidad_destino',
      label: 'Entidad federativa de destino',
      type: 'entidad',
      catalog: 'entidad',
      required: { field: 'pais_destino', eq: 'MEX' },
      section: 'ruta',
      help: 'Obligatoria si el destino es México; se admite «No especificada» (99).',
      allowCodes: ['99'],
      sensitivity: 'P',
    },
    {
      key: 'municipio_destino',
      label: 'Municipio de destino',
      type: 'municipio',
      catalog: 'municipio',
      required: false,
      section: 'ruta',
      help: 'Debe pertenecer a la entidad de destino; se admite «Municipio no especificado».',
      stateField: 'entidad_destino',
      allowCodes: ['999'],
      sensitivity: 'P',
    },
    {
      key: 'espacios_explotacion',
      label: 'Espacio(s) donde ocurrió la explotación',
      type: 'catalogo_multiple',
      catalog: 'espacio_ocurrencia',
      required: false,
      section: 'ruta',
      help: '«No especificado» no se combina con otras opciones.',
      exclusive: ['NE'],
      sensitivity: 'S',
    },
    {
      key: 'entidades_transito',
      label: 'Entidades federativas de tránsito',
      type: 'catalogo_multiple',
      catalog: 'entidad',
      required: false,
      section: 'ruta',
      help: 'Entidades por las que pasó, sin incluir las de captación y destino; el orden no se registra.',
      sensitivity: 'P',
    },
    {
      key: 'paises_transito',
      label: 'Países de tránsito',
      type: 'catalogo_multiple',
      catalog: 'pais',
      required: false,
      section: 'ruta',
      help: 'No debe incluir el país de captación ni el de destino.',
      sensitivity: 'P',
    },
    {
      key: 'medios_transporte',
      label: 'Medio(s) de transporte utilizados en el traslado',
      type: 'catalogo_multiple',
      catalog: 'medio_transporte',
      required: true,
      section: 'ruta',
      help: 'Al menos uno; «No hubo traslado» y «No especificado» no se combinan con otros.',
      exclusive: ['SIN_TRASLADO', 'NE'],
      sensitivity: 'P',
    },
    {
      key: 'cruce_fronterizo',
      label: '¿Hubo cruce de una frontera internacional?',
      type: 'catalogo',
      catalog: 'si_no_ns',
      required: true,
      section: 'ruta',
      help: 'Debe ser «Sí» cuando el país de captación y el de destino son distintos y ambos se conocen.',
      sensitivity: 'P',
    },
    {
      key: 'tipo_transito_fronterizo',
      label: 'Sentido del tránsito fronterizo',
      type: 'catalogo',
      catalog: 'tipo_transito_fronterizo',
      required: { field: 'cruce_fronterizo', eq: 'SI' },
      section: 'ruta',
      help: 'Obligatorio si hubo cruce fronterizo; debe ser coherente con los países de captación, destino y tránsito.',
      sensitivity: 'P',
    },
    {
      key: 'punto_cruce',
      label: 'Punto o tipo de cruce fronterizo',
      type: 'catalogo',
      catalog: 'punto_cruce',
      required: { field: 'cruce_fronterizo', eq: 'SI' },
      section: 'ruta',
      help: 'Obligatorio si hubo cruce fronterizo.',
      sensitivity: 'P',
    },
    // ---- 39–44 Atención y protección ----
    {
      key: 'servicios',
      label: 'Servicios proporcionados',
      type: 'catalogo_multiple',
      catalog: 'servicio_atencion',
      required: true,
      section: 'atencion',
      help: 'Al menos uno.',
      sensitivity: 'S',
    },
    {
      key: 'medidas_proteccion',
      label: 'Medidas de protección aplicadas',
      help: 'Medidas tomadas para proteger a la persona. Dato sensible: su difusión puede ponerla en riesgo.',
      type: 'catalogo_multiple',
      catalog: 'medida_proteccion',
      required: false,
      section: 'atencion',
      sensitivity: 'S',
    },
    {
      key: 'canalizada_a',
      label: 'Instituciones a las que se canalizó',
      type: 'catalogo_multiple',
      catalog: 'institucion',
      required: false,
      section: 'atencion',
      help: 'No incluya a la institución que registra.',
      sensitivity: 'P',
    },
    {
      key: 'estatus_atencion',
      label: 'Estatus de la atención',
      help: 'En qué punto está la atención a la persona a la fecha del registro.',
      type: 'catalogo',
      catalog: 'estatus_atencion',
      required: true,
      section: 'atencion',
      sensitivity: 'P',
    },
    {
      key: 'retorno_repatriacion',
      label: 'Retorno o repatriación',
      type: 'catalogo',
      catalog: 'retorno_repatriacion',
      required: true,
      section: 'atencion',
      help: 'Repatriación voluntaria solo para personas extranjeras; repatriación de connacional solo para personas mexicanas con destino fuera de México.',
      sensitivity: 'P',
    },
    {
      key: 'reparacion_integral',
      label: 'Estado de la reparación integral del daño',
      type: 'catalogo',
      catalog: 'reparacion_estado',
      required: true,
      section: 'atencion',
      help: 'Use «No aplica» si no existe denuncia o carpeta de investigación.',
      sensitivity: 'S',
    },
  ],
  listColumns: ['folio_persona', 'fecha_identificacion', 'condicion', 'grupo_edad', 'modalidades'],
  uniquePerInstitution: [['folio_persona']],
  dbRules: [
    {
      kind: 'reference-date-order',
      field: 'fecha_identificacion',
      ref: 'operativo_id',
      date: 'fecha_identificacion',
      refModule: 'operativos_rescate',
      refDate: 'fecha_inicio',
      level: 'error',
      message: 'Fecha de identificación o primer contacto: no puede ser anterior a la fecha de inicio del operativo de rescate relacionado.',
    },
    {
      // Per institution: a person attended by two institutions has two records (spec §2.9).
      kind: 'reference-count',
      when: { field: 'via_identificacion', eq: 'OPERATIVO' },
      field: 'operativo_id',
      ref: 'operativo_id',
      refModule: 'operativos_rescate',
      max: 'rescatadas_total',
      level: 'advertencia',
      message: 'Operativo de rescate relacionado: las personas registradas con este operativo superan el total de personas rescatadas en él.',
    },
  ],
  rules: [
    {
      field: 'grupo_edad',
      message: 'Grupo de edad: debe corresponder a la Edad (años cumplidos) capturada.',
      check: (v) =>
        typeof v.edad !== 'number' || vacio(v.grupo_edad) || v.grupo_edad === grupoDeEdad(v.edad),
    },
    {
      field: 'escolaridad',
      message:
        'Escolaridad (último nivel cursado): para el grupo de 0 a 5 años solo se admite «Sin escolaridad», «Preescolar» o «No especificado».',
      check: (v) =>
        v.grupo_edad !== 'E00_05' ||
        vacio(v.escolaridad) ||
        ['SIN_ESCOLARIDAD', 'PREESCOLAR', 'NE'].includes(v.escolaridad as string),
    },
    {
      field: 'calidad_migratoria',
      message:
        'Calidad (condición) migratoria: «No aplica» solo procede si la Nacionalidad es México y el País de destino es México.',
      check: (v) =>
        v.calidad_migratoria !== 'NO_APLICA' ||
        vacio(v.nacionalidad) ||
        vacio(v.pais_destino) ||
        (v.nacionalidad === 'MEX' && v.pais_destino === 'MEX'),
    },
    {
      field: 'calidad_migratoria',
      message:
        'Calidad (condición) migratoria: las opciones de persona mexicana en el extranjero solo proceden si la Nacionalidad es México y el País de destino no es México.',
      check: (v) =>
        !['MEX_EXTERIOR_REGULAR', 'MEX_EXTERIOR_IRREGULAR'].includes(v.calidad_migratoria as string) ||
        vacio(v.nacionalidad) ||
        vacio(v.pais_destino) ||
        (v.nacionalidad === 'MEX' && v.pais_destino !== 'MEX'),
    },
    {
      field: 'acompanamiento_nna',
      message:
        'Situación de acompañamiento (niñas, niños y adolescentes): «No aplica (persona adulta)» no procede para un grupo de edad menor de 18 años.',
      check: (v) => !esNna(v) || v.acompanamiento_nna !== 'NO_APLICA',
    },
    {
      field: 'acompanamiento_nna',
      message:
        'Situación de acompañamiento (niñas, niños y adolescentes): si el Grupo de edad es «No especificado», debe ser «No aplica».',
      check: (v) => v.grupo_edad !== 'NE' || vacio(v.acompanamiento_nna) || v.acompanamiento_nna === 'NO_APLICA',
    },
    {
      // Regla del módulo: no puede quedar validado si es persona adulta y el acompañamiento ≠ NO_APLICA
      // (se exige al enviar; un valor vacío tampoco es NO_APLICA).
      field: 'acompanamiento_nna',
      message:
        'Situación de acompañamiento (niñas, niños y adolescentes): para un grupo de edad de persona adulta debe ser «No aplica».',
      check: (v) => !esAdulta(v) || v.acompanamiento_nna === 'NO_APLICA',
    },
    {
      field: 'modalidades',
      message:
        'Modalidad(es) de explotación (victimización): «Aún no determinada» solo procede si la Condición de la persona es posible víctima u ofendida.',
      check: (v) =>
        !lista(v.modalidades).includes('NO_DETERMINADA') ||
        vacio(v.condicion) ||
        ['POSIBLE_VICTIMA', 'OFENDIDO'].includes(v.condicion as string),
    },
    {
      // LG art. 13, último párrafo: no se acreditan medios comisivos para menores de 18 años
      // o personas sin capacidad de comprender el hecho (se acepta discapacidad = SI para personas adultas).
      field: 'medios_comisivos',
      message:
        'Medios comisivos: «No se requiere acreditar» solo procede para niñas, niños y adolescentes o personas con discapacidad que no tienen capacidad de comprender el hecho.',
      check: (v) =>
        !lista(v.medios_comisivos).includes('NO_REQUERIDO') || !esAdulta(v) || v.discapacidad === 'SI',
    },
    {
      field: 'entidades_transito',
      level: 'advertencia',
      message:
        'Entidades federativas de tránsito: incluye la Entidad federativa donde fue captada o la Entidad federativa de destino.',
      check: (v) => {
        const t = lista(v.entidades_transito);
        return (
          (vacio(v.entidad_captacion) || !t.includes(v.entidad_captacion as string)) &&
          (vacio(v.entidad_destino) || !t.includes(v.entidad_destino as string))
        );
      },
    },
    {
      field: 'paises_transito',
      message:
        'Países de tránsito: no debe incluir el País donde fue captada ni el País de destino.',
      check: (v) => {
        const t = lista(v.paises_transito);
        return (
          (vacio(v.pais_captacion) || !t.includes(v.pais_captacion as string)) &&
          (vacio(v.pais_destino) || !t.includes(v.pais_destino as string))
        );
      },
    },
    {
      field: 'cruce_fronterizo',
      message:
        '¿Hubo cruce de una frontera internacional?: debe ser «Sí» porque el País donde fue captada y el País de destino son distintos.',
      check: (v) =>
        vacio(v.cruce_fronterizo) ||
        vacio(v.pais_captacion) ||
        vacio(v.pais_destino) ||
        v.pais_captacion === 'XXX' ||
        v.pais_destino === 'XXX' ||
        v.pais_captacion === v.pais_destino ||
        v.cruce_fronterizo === 'SI',
    },
    {
      field: 'tipo_transito_fronterizo',
      message:
        'Sentido del tránsito fronterizo: «Ingreso a México» exige que el País de destino sea México.',
      check: (v) =>
        v.tipo_transito_fronterizo !== 'INGRESO_MX' || vacio(v.pais_destino) || v.pais_destino === 'MEX',
    },
    {
      field: 'tipo_transito_fronterizo',
      message:
        'Sentido del tránsito fronterizo: «Salida de México» exige que el País donde fue captada sea México.',
      check: (v) =>
        v.tipo_transito_fronterizo !== 'SALIDA_MX' || vacio(v.pais_captacion) || v.pais_captacion === 'MEX',
    },
    {
      field: 'tipo_transito_fronterizo',
      message:
        'Sentido del tránsito fronterizo: «Tránsito por México» exige que México esté entre los Países de tránsito.',
      check: (v) => v.tipo_transito_fronterizo !== 'TRANSITO_MX' || lista(v.paises_transito).includes('MEX'),
    },
    {
      field: 'canalizada_a',
      message: 'Instituciones a las que se canalizó: no debe incluir a la institución que registra.',
      check: (v) => vacio(v.institucion_id) || !lista(v.canalizada_a).includes(v.institucion_id as string),
    },
    {
      field: 'retorno_repatriacion',
      message:
        'Retorno o repatriación: la repatriación voluntaria solo procede si la Nacionalidad no es México.',
      check: (v) =>
        v.retorno_repatriacion !== 'REPATRIACION_VOLUNTARIA' || vacio(v.nacionalidad) || v.nacionalidad !== 'MEX',
    },
    {
      field: 'retorno_repatriacion',
      message:
        'Retorno o repatriación: la repatriación de persona mexicana solo procede si la Nacionalidad es México y el País de destino no es México.',
      check: (v) =>
        v.retorno_repatriacion !== 'REPATRIACION_CONNACIONAL' ||
        vacio(v.nacionalidad) ||
        vacio(v.pais_destino) ||
        (v.nacionalidad === 'MEX' && v.pais_destino !== 'MEX'),
    },
    {
      field: 'reparacion_integral',
      level: 'advertencia',
      message:
        'Estado de la reparación integral del daño: es distinto de «No aplica» aunque no consta denuncia o carpeta de investigación.',
      check: (v) =>
        vacio(v.reparacion_integral) ||
        v.reparacion_integral === 'NO_APLICA' ||
        vacio(v.denuncia_carpeta) ||
        v.denuncia_carpeta === 'SI',
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
    folio_persona: 'CAS-2024-0001',
    condicion: 'VICTIMA',
    fecha_identificacion: '2024-05-14',
    via_identificacion: 'DENUNCIA',
    operativo_id: null,
    denuncia_carpeta: 'SI',
    sexo: 'MUJER',
    identidad_genero: 'MUJER_CIS',
    edad: 23,
    grupo_edad: 'E18_24',
    estado_civil: 'SOLTERA',
    nacionalidad: 'MEX',
    pais_origen: 'MEX',
    entidad_origen: '12',
    municipio_origen: '12029',
    autoadscripcion: ['INDIGENA'],
    discapacidad: 'NO',
    escolaridad: 'SECUNDARIA',
    calidad_migratoria: 'NO_APLICA',
    acompanamiento_nna: 'NO_APLICA',
    modalidades: ['EXPLOTACION_SEXUAL'],
    tipos_penales: ['ART13', 'ART19'],
    formas_reclutamiento: ['OFERTA_EMPLEO'],
    medios_contacto: ['REDES_SOCIALES'],
    medios_comisivos: ['ENGANO', 'VIOLENCIA_MORAL', 'RETENCION_DOCUMENTOS'],
    vinculo_tratante: 'DESCONOCIDO',
    pais_captacion: 'MEX',
    entidad_captacion: '12',
    pais_destino: 'MEX',
    entidad_destino: '15',
    municipio_destino: '15033',
    espacios_explotacion: ['BAR_CANTINA', 'HOTEL_MOTEL'],
    entidades_transito: ['17'],
    paises_transito: [],
    medios_transporte: ['AUTOBUS'],
    cruce_fronterizo: 'NO',
    tipo_transito_fronterizo: null,
    punto_cruce: null,
    servicios: ['ATENCION_MEDICA', 'ATENCION_PSICOLOGICA', 'ASESORIA_JURIDICA_PROCESO', 'ALOJ_REFUGIO'],
    medidas_proteccion: ['RESGUARDO_IDENTIDAD', 'PROHIBICION_ACERCARSE'],
    canalizada_a: ['CEAV'],
    estatus_atencion: 'EN_ATENCION',
    retorno_repatriacion: 'NO_APLICA',
    reparacion_integral: 'SIN_RESOLUCION',
  },
} satisfies ModuleDef;
