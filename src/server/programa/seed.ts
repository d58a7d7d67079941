// The 2022-2024 programme as far as the public sources give it (spec §5): its five objetivos prioritarios,
// and per objetivo one placeholder estrategia/acción (`PN2022-A<n>.0.0`, already in the PN_ACCION catalog)
// until the Secretaría Técnica loads the estrategias and acciones puntuales from the DOF text.
import type { Queryable } from '../db/client.js';
import { INDICATORS } from '../indicators/definitions.js';

export const PN2022 = {
  clave: 'PN2022',
  nombre:
    'Programa Nacional para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas y para la Protección y Asistencia a las Víctimas de estos Delitos 2022-2024',
  periodo_inicio: '2022-12-28',
  periodo_fin: '2024-12-31',
  fecha_publicacion_dof: '2022-12-27',
  url_dof: 'https://www.dof.gob.mx/nota_detalle.php?codigo=5675759&fecha=27/12/2022',
  objetivos: [
    'Promover la reforma del marco normativo en materia de trata de personas a nivel federal.',
    'Establecer las bases de coordinación para erradicar la trata de personas a nivel nacional.',
    'Fortalecer la atención, reintegración social y reparación integral a víctimas de trata de personas y personas ofendidas desde la perspectiva de género, enfoques de derechos humanos e interseccionalidad, por medio de la creación o actualización, implementación y monitoreo de instrumentos en la materia.',
    'Fomentar la generación de conocimiento respecto a la trata de personas que optimice la implementación de políticas públicas y acciones en la materia.',
    'Promover los derechos humanos de las posibles víctimas de trata de personas y personas ofendidas desde la perspectiva de género y enfoque de interseccionalidad.',
  ],
};

export const PLACEHOLDER_ESTRATEGIA = 'Sin estrategia prioritaria específica (pendiente de cargar del texto publicado en el DOF).';
export const PLACEHOLDER_ACCION = 'Sin acción puntual específica.';

/** Idempotent: does nothing once the programme exists (the Secretaría Técnica may have edited it). */
export async function seedPrograma(q: Queryable): Promise<boolean> {
  const exists = await q.query('select 1 from pn_programa where clave = $1', [PN2022.clave]);
  if (exists.length) return false;
  const [p] = await q.query<{ id: string }>(
    `insert into pn_programa (clave, nombre, periodo_inicio, periodo_fin, fecha_publicacion_dof, url_dof, vigente)
     values ($1, $2, $3, $4, $5, $6, true) returning id`,
    [PN2022.clave, PN2022.nombre, PN2022.periodo_inicio, PN2022.periodo_fin, PN2022.fecha_publicacion_dof, PN2022.url_dof],
  );
  for (const [i, texto] of PN2022.objetivos.entries()) {
    const n = i + 1;
    const [o] = await q.query<{ id: string }>('insert into pn_objetivo (programa_id, numero, texto) values ($1, $2, $3) returning id', [p.id, n, texto]);
    const [e] = await q.query<{ id: string }>('insert into pn_estrategia (objetivo_id, numero, texto) values ($1, $2, $3) returning id', [o.id, `${n}.0`, PLACEHOLDER_ESTRATEGIA]);
    await q.query('insert into pn_accion (estrategia_id, numero, codigo, texto) values ($1, $2, $3, $4)', [e.id, `${n}.0.0`, `${PN2022.clave}-A${n}.0.0`, PLACEHOLDER_ACCION]);
    // SINTRA's indicators as the programme's follow-up indicators (spec §4.4 mapping); baseline and goal
    // values are left to the Secretaría Técnica (the baseline year is computed live until it sets a value).
    for (const ind of INDICATORS.filter((x) => x.objetivos.includes(n))) {
      await q.query(
        `insert into pn_meta (objetivo_id, tipo, nombre, formula_texto, linea_base_anio, meta_anio, periodicidad, indicador_sintra)
         values ($1, 'INDICADOR', $2, $3, 2022, 2024, $4, $5)`,
        [o.id, ind.nombre, `${ind.numerador.texto} / ${ind.denominador.texto}`, ind.periodicidad, ind.id],
      );
    }
  }
  return true;
}
