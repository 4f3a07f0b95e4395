/** The small XML reader used to check rendered SVG. */
import { checkSvg, parseXml, XmlError } from '../../src/plots/svg-check.js';
import { compactSvg } from '../../src/plots/render.js';

describe('XML/SVG check', () => {
  test('parses elements, attributes, entities, comments and CDATA', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><svg width="10" height="5" a=\'x &amp; y\'><g><text>a &lt; b</text><rect/></g><![CDATA[raw <x>]]></svg>');
    expect(root.name).toBe('svg');
    expect(root.attributes.a).toBe('x & y');
    expect(root.children[0]?.children.map((c) => c.name)).toEqual(['text', 'rect']);
    expect(root.children[0]?.children[0]?.text).toBe('a < b');
    expect(root.text).toBe('raw <x>');
  });

  test('rejects malformed documents', () => {
    for (const bad of ['<svg><g></svg>', '<svg a="1" a="2"/>', '<svg>&bogus;</svg>', '<svg/><x/>', '<svg a=1/>', '', '<svg>']) {
      expect(() => parseXml(bad)).toThrow(XmlError);
    }
  });

  test('checkSvg wants an <svg> root with a positive size and content', () => {
    expect(() => checkSvg('<html/>')).toThrow(/not <svg>/);
    expect(() => checkSvg('<svg width="0" height="3"><g/><g/></svg>')).toThrow(/positive width/);
    expect(() => checkSvg('<svg width="3" height="3"></svg>')).toThrow(/empty/);
    const s = checkSvg('<svg width="3" height="4"><g><path d="M0,0"/><text>hi</text></g></svg>');
    expect(s).toEqual({ width: 3, height: 4, counts: { svg: 1, g: 1, path: 1, text: 1 }, texts: ['hi'] });
  });
});

describe('compactSvg', () => {
  test('rounds numbers in attribute values to 2 decimals and leaves text alone', () => {
    expect(compactSvg('<svg width="10" d="M1.23456,-0.004999h3.1e-7"><text x="2.5">λ = 9.51656</text></svg>')).toBe('<svg width="10" d="M1.23,0h0"><text x="2.5">λ = 9.51656</text></svg>');
    expect(compactSvg('<g aria-label="floored at 1e-6, λ = 9.51656" transform="translate(0.5001,2)"/>')).toBe('<g aria-label="floored at 1e-6, λ = 9.51656" transform="translate(0.5,2)"/>');
  });
});
