import { describe, expect, it } from 'vitest';
import { anonymousName, personalDataIn, redactText } from './redaction.js';

const known = { names: ['张建国', '李秀英'], addresses: ['正定县城关镇常山路 1 号'] };

describe('redactText', () => {
  it('removes ID numbers, phones, e-mail, names and the address', () => {
    const text =
      '我叫张建国，身份证130123198001010013，电话 138-1234-5678，座机0311-87654321，邮箱 zjg@example.com，住正定县城关镇常山路 1 号，与李秀英一起反映。';
    const out = redactText(text, known);
    expect(out).not.toMatch(/\d{11,}/);
    expect(out).not.toContain('张建国');
    expect(out).not.toContain('李秀英');
    expect(out).not.toContain('常山路');
    expect(out).not.toContain('example.com');
    expect(out).toContain('张某');
    expect(out).toContain('李某');
    expect(out).toContain('［身份证号码已隐去］');
    expect(out).toContain('［电话已隐去］');
    expect(personalDataIn(out, known)).toEqual([]);
  });

  it('leaves ordinary numbers (amounts, dates) alone', () => {
    const text = '2025年10月拖欠工资12000元，共3个月。';
    expect(redactText(text, known)).toBe(text);
    expect(personalDataIn(text, known)).toEqual([]);
  });

  it('ignores one-character names, which would wipe out ordinary words', () => {
    expect(redactText('王某反映', { names: ['王'], addresses: [] })).toBe('王某反映');
  });
});

describe('personalDataIn', () => {
  it('names every kind still present', () => {
    expect(personalDataIn('张建国 13812345678 11010519491231002X', known).sort()).toEqual(['idNumber', 'name', 'phone']);
    expect(personalDataIn('住正定县城关镇常山路 1 号', known)).toEqual(['address']);
  });
});

describe('anonymousName', () => {
  it('keeps the surname', () => {
    expect(anonymousName('张建国')).toBe('张某');
    expect(anonymousName('欧阳娜娜')).toBe('欧某');
  });
});
