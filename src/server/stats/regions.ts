// Regions of the world for the legal tables that group nationality "by region" (spec §4.1 T-08, T-11;
// IND-06). The spec names no grouping: this follows the UN M49 geoscheme (continents), with the Americas
// split as Mexican migration statistics do (Norteamérica, Centroamérica, Caribe, Sudamérica) because most
// foreign victims identified in Mexico come from Central America. Codes are ISO 3166-1 alpha-3.

export const REGIONS = [
  { code: 'MEXICO', label: 'México' },
  { code: 'NORTEAMERICA', label: 'Norteamérica (sin México)' },
  { code: 'CENTROAMERICA', label: 'Centroamérica' },
  { code: 'CARIBE', label: 'El Caribe' },
  { code: 'SUDAMERICA', label: 'Sudamérica' },
  { code: 'EUROPA', label: 'Europa' },
  { code: 'ASIA', label: 'Asia' },
  { code: 'AFRICA', label: 'África' },
  { code: 'OCEANIA', label: 'Oceanía' },
  { code: 'OTRO', label: 'Otros territorios' },
  { code: 'APATRIDA', label: 'Persona apátrida' },
  { code: 'NE', label: 'Nacionalidad no especificada' },
] as const;

export type RegionCode = (typeof REGIONS)[number]['code'];

const MEMBERS: Partial<Record<RegionCode, readonly string[]>> = {
  MEXICO: ['MEX'],
  NORTEAMERICA: ['USA', 'CAN', 'BMU', 'GRL', 'SPM'],
  CENTROAMERICA: ['BLZ', 'CRI', 'SLV', 'GTM', 'HND', 'NIC', 'PAN'],
  CARIBE: [
    'AIA', 'ATG', 'ABW', 'BHS', 'BRB', 'BES', 'VGB', 'CYM', 'CUB', 'CUW', 'DMA', 'DOM', 'GRD', 'GLP', 'HTI', 'JAM',
    'MTQ', 'MSR', 'PRI', 'BLM', 'KNA', 'LCA', 'MAF', 'VCT', 'SXM', 'TTO', 'TCA', 'VIR',
  ],
  SUDAMERICA: ['ARG', 'BOL', 'BVT', 'BRA', 'CHL', 'COL', 'ECU', 'FLK', 'GUF', 'GUY', 'PRY', 'PER', 'SGS', 'SUR', 'URY', 'VEN'],
  EUROPA: [
    'ALA', 'ALB', 'AND', 'AUT', 'BLR', 'BEL', 'BIH', 'BGR', 'HRV', 'CZE', 'DNK', 'EST', 'FRO', 'FIN', 'FRA', 'DEU',
    'GIB', 'GRC', 'GGY', 'VAT', 'HUN', 'ISL', 'IRL', 'IMN', 'ITA', 'JEY', 'LVA', 'LIE', 'LTU', 'LUX', 'MLT', 'MDA',
    'MCO', 'MNE', 'NLD', 'MKD', 'NOR', 'POL', 'PRT', 'ROU', 'RUS', 'SMR', 'SRB', 'SVK', 'SVN', 'ESP', 'SJM', 'SWE',
    'CHE', 'UKR', 'GBR',
  ],
  ASIA: [
    'AFG', 'ARM', 'AZE', 'BHR', 'BGD', 'BTN', 'BRN', 'KHM', 'CHN', 'CYP', 'GEO', 'HKG', 'IND', 'IDN', 'IRN', 'IRQ',
    'ISR', 'JPN', 'JOR', 'KAZ', 'PRK', 'KOR', 'KWT', 'KGZ', 'LAO', 'LBN', 'MAC', 'MYS', 'MDV', 'MNG', 'MMR', 'NPL',
    'OMN', 'PAK', 'PSE', 'PHL', 'QAT', 'SAU', 'SGP', 'LKA', 'SYR', 'TWN', 'TJK', 'THA', 'TLS', 'TUR', 'TKM', 'ARE',
    'UZB', 'VNM', 'YEM',
  ],
  AFRICA: [
    'DZA', 'AGO', 'BEN', 'BWA', 'IOT', 'BFA', 'BDI', 'CPV', 'CMR', 'CAF', 'TCD', 'COM', 'COG', 'COD', 'CIV', 'DJI',
    'EGY', 'GNQ', 'ERI', 'SWZ', 'ETH', 'ATF', 'GAB', 'GMB', 'GHA', 'GIN', 'GNB', 'KEN', 'LSO', 'LBR', 'LBY', 'MDG',
    'MWI', 'MLI', 'MRT', 'MUS', 'MYT', 'MAR', 'MOZ', 'NAM', 'NER', 'NGA', 'REU', 'RWA', 'SHN', 'STP', 'SEN', 'SYC',
    'SLE', 'SOM', 'ZAF', 'SSD', 'SDN', 'TZA', 'TGO', 'TUN', 'UGA', 'ESH', 'ZMB', 'ZWE',
  ],
  OCEANIA: [
    'ASM', 'AUS', 'CXR', 'CCK', 'COK', 'FJI', 'PYF', 'GUM', 'HMD', 'KIR', 'MHL', 'FSM', 'NRU', 'NCL', 'NZL', 'NIU',
    'NFK', 'MNP', 'PLW', 'PNG', 'PCN', 'WSM', 'SLB', 'TKL', 'TON', 'TUV', 'UMI', 'VUT', 'WLF',
  ],
  APATRIDA: ['XXA'],
  NE: ['XXX'],
};

const BY_COUNTRY = new Map<string, RegionCode>();
for (const [region, codes] of Object.entries(MEMBERS)) for (const c of codes ?? []) BY_COUNTRY.set(c, region as RegionCode);

/** Region of a country code; `OTRO` for territories outside the list (Antarctica). */
export function regionOf(country: string): RegionCode {
  return BY_COUNTRY.get(country) ?? 'OTRO';
}

/** SQL expression giving the region code of a country column (codes are constants, never user input). */
export function regionSql(column: string): string {
  const arms = Object.entries(MEMBERS).map(([region, codes]) => `when ${column} in (${(codes ?? []).map((c) => `'${c}'`).join(',')}) then '${region}'`);
  return `case when ${column} is null then 'SIN_DATO' ${arms.join(' ')} else 'OTRO' end`;
}
