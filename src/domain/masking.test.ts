import { describe, it, expect } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskPhone } from './masking.js';

describe('maskName', () => {
  it('keeps first and last character of Chinese names', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('张')).toBe('*');
    expect(maskName(' 李四 ')).toBe('李*');
  });

  it('keeps the interpunct of transliterated names', () => {
    expect(maskName('买买提·艾力')).toBe('买**·*力');
  });

  it('counts characters outside the BMP as one', () => {
    expect(maskName('𠮷野家')).toBe('𠮷*家');
    expect(maskName('王𠮷')).toBe('王*');
  });

  it('keeps the initial of each word of non-Chinese names', () => {
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName('Anne-Marie')).toBe('A***-M****');
    expect(maskName('Li')).toBe('L*');
  });

  it('returns empty for empty input', () => {
    expect(maskName('')).toBe('');
    expect(maskName('   ')).toBe('');
  });
});

describe('maskIdNumber', () => {
  it('keeps the region code and the last 4', () => {
    expect(maskIdNumber('130102199001011234')).toBe('130102********1234');
    expect(maskIdNumber('13010219900101123X')).toBe('130102********123X');
  });

  it('masks a 15-digit legacy number the same way', () => {
    expect(maskIdNumber('130102900101123')).toBe('130102*****1123');
  });

  it('fully masks short input', () => {
    expect(maskIdNumber('1234567890')).toBe('**********');
  });

  it('preserves length', () => {
    expect(maskIdNumber('130102199001011234')).toHaveLength(18);
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('handles landlines of other lengths', () => {
    expect(maskPhone('031187654321')).toBe('031*****4321');
    expect(maskPhone('87654321')).toBe('876*4321');
  });

  it('keeps only the last 2 of short numbers', () => {
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('12')).toBe('**');
  });
});

describe('maskAddress', () => {
  it('keeps the first 6 characters and hides the rest', () => {
    expect(maskAddress('河北省石家庄市长安区建设北大街10号')).toBe('河北省石家庄***');
    expect(maskAddress('石家庄市长安区中山东路39号')).toBe('石家庄市长安***');
  });

  it('never reveals more than half of a short address', () => {
    expect(maskAddress('长安区3号')).toBe('长安***');
    expect(maskAddress('某村')).toBe('某***');
  });

  it('returns empty for empty input', () => {
    expect(maskAddress('')).toBe('');
  });
});
