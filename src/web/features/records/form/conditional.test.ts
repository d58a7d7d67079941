// Which fields the form empties when their condition stops holding (the hook's decision, without React).
import { describe, expect, it } from 'vitest';
import { getModule } from '../../../../modules/index';
import { conditionStates, fieldsToClear } from './conditional';

const keys = (fs: { key: string }[]) => fs.map((f) => f.key);

describe('conditional fields in the form', () => {
  const cap = getModule('capacitacion')!;
  const before = { ...cap.example, modalidad: 'PRESENCIAL', sede: 'Auditorio', plataforma: null } as Record<string, unknown>;
  const after = { ...before, modalidad: 'VIRTUAL' };

  it('empties a field whose condition the user just made false, and nothing else', () => {
    const cleared = fieldsToClear(cap, conditionStates(cap, before), conditionStates(cap, after), after, { modalidad: true });
    expect(keys(cleared)).toEqual(['sede']);
  });

  it("empties nothing on the first values, nor when the change was not the user's (a reset or a loaded version)", () => {
    expect(fieldsToClear(cap, null, conditionStates(cap, after), after, { modalidad: true })).toEqual([]);
    expect(fieldsToClear(cap, conditionStates(cap, before), conditionStates(cap, after), after, {})).toEqual([]);
  });

  it('empties onlyIf fields (tipos_penales without a complaint) and keeps attached files', () => {
    const vic = getModule('victimas')!;
    const v1 = { ...vic.example, denuncia_carpeta: 'SI', tipos_penales: ['ART13'] } as Record<string, unknown>;
    const v2 = { ...v1, denuncia_carpeta: 'NO' };
    expect(keys(fieldsToClear(vic, conditionStates(vic, v1), conditionStates(vic, v2), v2, { denuncia_carpeta: true }))).toEqual(['tipos_penales']);
    const ins = getModule('instrumentos')!;
    const i1 = { ...ins.example, estatus_instrumento: 'PUBLICADO', documento: ['5f1c9a52-3b7e-4d2a-9a61-0d3b5c8e7f10'] } as Record<string, unknown>;
    const i2 = { ...i1, estatus_instrumento: 'EN_ELABORACION' };
    const cleared = keys(fieldsToClear(ins, conditionStates(ins, i1), conditionStates(ins, i2), i2, { estatus_instrumento: true }));
    expect(cleared.sort()).toEqual(['fecha_aprobacion', 'fecha_publicacion', 'medio_publicacion']);
  });
});
