/*
 * pdf_text.c - text of a PDF revision for the statement check (see
 * pdf_text.h for what is extracted and how far layout is followed).
 *
 * Content streams (ISO 32000-1 §7.8.2, §9.4, Annex A) are sequences of
 * operands followed by an operator:
 *
 *   q 1 0 0 1 72 40 cm BT /F1 9 Tf 0 12 Td (Dokumen ini) Tj
 *   [(tel) 20 (ah) -250 (di)] TJ T* ... ET Q /Fm0 Do
 *   BI /W 8 /H 8 /BPC 8 /CS /G ID <64 raw bytes> EI
 *
 * Only BT ET Tf Tc Tw Tz TL Td TD Tm T* Tj TJ ' " q Q cm Do and BI are
 * interpreted; every other operator is dropped with its operands.
 *
 * ToUnicode CMaps (§9.10.3; Adobe Technical Note 5411) are PostScript
 * of this shape, of which only these sections are read:
 *
 *   n begincodespacerange <00> <FF> ... endcodespacerange
 *   n beginbfchar <0003> <0020> ... endbfchar
 *   n beginbfrange <0010> <0019> <0030>           (consecutive)
 *                  <0020> <0021> [<0066006C> <00E9>] (one by one)
 *   endbfrange
 *
 * Unsupported, on purpose: see pdf_text.h; also usecmap (a ToUnicode CMap
 * names no parent in practice) and cidrange sections (CIDs are not text).
 */
#include "../base/hex.h"
#include "../base/utf8.h"
#include "pdf_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../err.h"

/* Codespace ranges kept from one CMap; real ones have one to four. */
#define CMAP_MAX_CODESPACE 32
/* UTF-16 units of one bfchar destination: a ligature needs 2 or 3; the
 * spec allows 512 bytes, which no font uses for text. */
#define CMAP_MAX_DST 32
/* UTF-8 bytes of one simple-font glyph ("f_f_i" gives 3). */
#define GLYPH_MAX_UTF8 16
/* Code points one glyph name may stand for ("f_f_l" is 3). */
#define GLYPH_MAX_CPS 4
/* Operands kept before an operator: scn takes at most 33 (32 DeviceN
 * components and a pattern name); older ones are dropped, OPND_MAX at a
 * time (operators read only the last ones). */
#define OPND_MAX 48
/* Unreadable tokens skipped in one stream before it is given up. */
#define LEX_MAX_ERRORS 256
/* Retrying after tokens that read far (see lex_refused) may read one
 * stream about this many times over, plus LEX_RESCAN_MIN, never more. */
#define LEX_RESCAN_TIMES 1
#define LEX_RESCAN_MIN (1UL << 20)
/* Tokens of one inline image dictionary (§8.9.7 defines 12 keys). */
#define BI_MAX_TOKENS 128
/* Bytes after a candidate EI that must look like content. */
#define EI_PROBE 32
/* Inline image sides: §8.9.7 advises 4 KiB of data; 64 Ki samples per
 * side keeps the size computation far from overflow. */
#define BI_MAX_SIDE 65536
/* Glyph width (thousandths of an em) assumed when a font gives none. */
#define GUESS_WIDTH 500.0
/* Error, in ems, allowed per guessed width when judging a gap. */
#define GUESS_SLACK 0.35
/* Overlapping bfranges looked at behind the nearest one. */
#define RANGE_SCAN 8

enum brk { BRK_NONE = 0, BRK_SPACE, BRK_LINE };

/* ---- Built-in tables ------------------------------------------------- */

/*
 * Glyph names to Unicode: the Adobe Glyph List entries that Latin text
 * uses (letters with their accents, digits, punctuation, typographic
 * symbols and ligatures). Single letters "A".."z" are handled by rule and
 * not listed. Sorted by strcmp for bsearch.
 */
struct glyph_name {
	const char *name;
	uint32_t cp;
};

static const struct glyph_name glyph_names[] = {
	{"AE", 0x00C6},
	{"Aacute", 0x00C1},
	{"Abreve", 0x0102},
	{"Acircumflex", 0x00C2},
	{"Adieresis", 0x00C4},
	{"Agrave", 0x00C0},
	{"Amacron", 0x0100},
	{"Aogonek", 0x0104},
	{"Aring", 0x00C5},
	{"Atilde", 0x00C3},
	{"Cacute", 0x0106},
	{"Ccaron", 0x010C},
	{"Ccedilla", 0x00C7},
	{"Ccircumflex", 0x0108},
	{"Cdot", 0x010A},
	{"Cdotaccent", 0x010A},
	{"Dcaron", 0x010E},
	{"Dcroat", 0x0110},
	{"Delta", 0x0394},
	{"Dslash", 0x0110},
	{"Eacute", 0x00C9},
	{"Ebreve", 0x0114},
	{"Ecaron", 0x011A},
	{"Ecircumflex", 0x00CA},
	{"Edieresis", 0x00CB},
	{"Edot", 0x0116},
	{"Edotaccent", 0x0116},
	{"Egrave", 0x00C8},
	{"Emacron", 0x0112},
	{"Eng", 0x014A},
	{"Eogonek", 0x0118},
	{"Eth", 0x00D0},
	{"Euro", 0x20AC},
	{"Gbreve", 0x011E},
	{"Gcedilla", 0x0122},
	{"Gcircumflex", 0x011C},
	{"Gcommaaccent", 0x0122},
	{"Gdot", 0x0120},
	{"Gdotaccent", 0x0120},
	{"Hbar", 0x0126},
	{"Hcircumflex", 0x0124},
	{"IJ", 0x0132},
	{"Iacute", 0x00CD},
	{"Ibreve", 0x012C},
	{"Icircumflex", 0x00CE},
	{"Idieresis", 0x00CF},
	{"Idot", 0x0130},
	{"Idotaccent", 0x0130},
	{"Igrave", 0x00CC},
	{"Imacron", 0x012A},
	{"Iogonek", 0x012E},
	{"Itilde", 0x0128},
	{"Jcircumflex", 0x0134},
	{"Kcedilla", 0x0136},
	{"Kcommaaccent", 0x0136},
	{"Lacute", 0x0139},
	{"Lcaron", 0x013D},
	{"Lcedilla", 0x013B},
	{"Lcommaaccent", 0x013B},
	{"Ldot", 0x013F},
	{"Lslash", 0x0141},
	{"Nacute", 0x0143},
	{"Ncaron", 0x0147},
	{"Ncedilla", 0x0145},
	{"Ncommaaccent", 0x0145},
	{"Ntilde", 0x00D1},
	{"OE", 0x0152},
	{"Oacute", 0x00D3},
	{"Obreve", 0x014E},
	{"Ocircumflex", 0x00D4},
	{"Odblacute", 0x0150},
	{"Odieresis", 0x00D6},
	{"Ograve", 0x00D2},
	{"Ohm", 0x2126},
	{"Ohungarumlaut", 0x0150},
	{"Omacron", 0x014C},
	{"Omega", 0x03A9},
	{"Oslash", 0x00D8},
	{"Otilde", 0x00D5},
	{"Racute", 0x0154},
	{"Rcaron", 0x0158},
	{"Rcedilla", 0x0156},
	{"Rcommaaccent", 0x0156},
	{"Sacute", 0x015A},
	{"Scaron", 0x0160},
	{"Scedilla", 0x015E},
	{"Scircumflex", 0x015C},
	{"Scommaaccent", 0x0218},
	{"Tbar", 0x0166},
	{"Tcaron", 0x0164},
	{"Tcedilla", 0x0162},
	{"Tcommaaccent", 0x0162},
	{"Thorn", 0x00DE},
	{"Uacute", 0x00DA},
	{"Ubreve", 0x016C},
	{"Ucircumflex", 0x00DB},
	{"Udblacute", 0x0170},
	{"Udieresis", 0x00DC},
	{"Ugrave", 0x00D9},
	{"Uhungarumlaut", 0x0170},
	{"Umacron", 0x016A},
	{"Uogonek", 0x0172},
	{"Uring", 0x016E},
	{"Utilde", 0x0168},
	{"Wcircumflex", 0x0174},
	{"Yacute", 0x00DD},
	{"Ycircumflex", 0x0176},
	{"Ydieresis", 0x0178},
	{"Zacute", 0x0179},
	{"Zcaron", 0x017D},
	{"Zdot", 0x017B},
	{"Zdotaccent", 0x017B},
	{"aacute", 0x00E1},
	{"abreve", 0x0103},
	{"acircumflex", 0x00E2},
	{"acute", 0x00B4},
	{"adieresis", 0x00E4},
	{"ae", 0x00E6},
	{"agrave", 0x00E0},
	{"amacron", 0x0101},
	{"ampersand", 0x0026},
	{"aogonek", 0x0105},
	{"apple", 0xF8FF},
	{"approxequal", 0x2248},
	{"aring", 0x00E5},
	{"asciicircum", 0x005E},
	{"asciitilde", 0x007E},
	{"asterisk", 0x002A},
	{"at", 0x0040},
	{"atilde", 0x00E3},
	{"backslash", 0x005C},
	{"bar", 0x007C},
	{"braceleft", 0x007B},
	{"braceright", 0x007D},
	{"bracketleft", 0x005B},
	{"bracketright", 0x005D},
	{"breve", 0x02D8},
	{"brokenbar", 0x00A6},
	{"bullet", 0x2022},
	{"cacute", 0x0107},
	{"caron", 0x02C7},
	{"ccaron", 0x010D},
	{"ccedilla", 0x00E7},
	{"ccircumflex", 0x0109},
	{"cdot", 0x010B},
	{"cdotaccent", 0x010B},
	{"cedilla", 0x00B8},
	{"cent", 0x00A2},
	{"circumflex", 0x02C6},
	{"colon", 0x003A},
	{"comma", 0x002C},
	{"copyright", 0x00A9},
	{"currency", 0x00A4},
	{"dagger", 0x2020},
	{"daggerdbl", 0x2021},
	{"dcaron", 0x010F},
	{"dcroat", 0x0111},
	{"degree", 0x00B0},
	{"dieresis", 0x00A8},
	{"divide", 0x00F7},
	{"dollar", 0x0024},
	{"dotaccent", 0x02D9},
	{"dotlessi", 0x0131},
	{"dotlessj", 0x0237},
	{"eacute", 0x00E9},
	{"ebreve", 0x0115},
	{"ecaron", 0x011B},
	{"ecircumflex", 0x00EA},
	{"edieresis", 0x00EB},
	{"edot", 0x0117},
	{"edotaccent", 0x0117},
	{"egrave", 0x00E8},
	{"eight", 0x0038},
	{"ellipsis", 0x2026},
	{"emacron", 0x0113},
	{"emdash", 0x2014},
	{"endash", 0x2013},
	{"eng", 0x014B},
	{"eogonek", 0x0119},
	{"equal", 0x003D},
	{"estimated", 0x212E},
	{"eth", 0x00F0},
	{"euro", 0x20AC},
	{"exclam", 0x0021},
	{"exclamdbl", 0x203C},
	{"exclamdown", 0x00A1},
	{"ff", 0xFB00},
	{"ffi", 0xFB03},
	{"ffl", 0xFB04},
	{"fi", 0xFB01},
	{"figuredash", 0x2012},
	{"five", 0x0035},
	{"fl", 0xFB02},
	{"florin", 0x0192},
	{"four", 0x0034},
	{"fraction", 0x2044},
	{"gbreve", 0x011F},
	{"gcedilla", 0x0123},
	{"gcircumflex", 0x011D},
	{"gcommaaccent", 0x0123},
	{"gdot", 0x0121},
	{"gdotaccent", 0x0121},
	{"germandbls", 0x00DF},
	{"grave", 0x0060},
	{"greater", 0x003E},
	{"greaterequal", 0x2265},
	{"guillemetleft", 0x00AB},
	{"guillemetright", 0x00BB},
	{"guillemotleft", 0x00AB},
	{"guillemotright", 0x00BB},
	{"guilsinglleft", 0x2039},
	{"guilsinglright", 0x203A},
	{"hbar", 0x0127},
	{"hcircumflex", 0x0125},
	{"hungarumlaut", 0x02DD},
	{"hyphen", 0x002D},
	{"iacute", 0x00ED},
	{"ibreve", 0x012D},
	{"icircumflex", 0x00EE},
	{"idieresis", 0x00EF},
	{"igrave", 0x00EC},
	{"ij", 0x0133},
	{"imacron", 0x012B},
	{"increment", 0x2206},
	{"infinity", 0x221E},
	{"integral", 0x222B},
	{"iogonek", 0x012F},
	{"itilde", 0x0129},
	{"jcircumflex", 0x0135},
	{"kcedilla", 0x0137},
	{"kcommaaccent", 0x0137},
	{"kgreenlandic", 0x0138},
	{"lacute", 0x013A},
	{"lcaron", 0x013E},
	{"lcedilla", 0x013C},
	{"lcommaaccent", 0x013C},
	{"ldot", 0x0140},
	{"less", 0x003C},
	{"lessequal", 0x2264},
	{"logicalnot", 0x00AC},
	{"longs", 0x017F},
	{"lozenge", 0x25CA},
	{"lslash", 0x0142},
	{"macron", 0x00AF},
	{"middot", 0x00B7},
	{"minus", 0x2212},
	{"minute", 0x2032},
	{"mu", 0x00B5},
	{"mu1", 0x00B5},
	{"multiply", 0x00D7},
	{"nacute", 0x0144},
	{"napostrophe", 0x0149},
	{"nbspace", 0x00A0},
	{"ncaron", 0x0148},
	{"ncedilla", 0x0146},
	{"ncommaaccent", 0x0146},
	{"nine", 0x0039},
	{"nonbreakingspace", 0x00A0},
	{"notequal", 0x2260},
	{"ntilde", 0x00F1},
	{"numbersign", 0x0023},
	{"numero", 0x2116},
	{"oacute", 0x00F3},
	{"obreve", 0x014F},
	{"ocircumflex", 0x00F4},
	{"odblacute", 0x0151},
	{"odieresis", 0x00F6},
	{"oe", 0x0153},
	{"ogonek", 0x02DB},
	{"ograve", 0x00F2},
	{"ohungarumlaut", 0x0151},
	{"omacron", 0x014D},
	{"one", 0x0031},
	{"onedotenleader", 0x2024},
	{"onehalf", 0x00BD},
	{"onequarter", 0x00BC},
	{"onesuperior", 0x00B9},
	{"ordfeminine", 0x00AA},
	{"ordmasculine", 0x00BA},
	{"oslash", 0x00F8},
	{"otilde", 0x00F5},
	{"paragraph", 0x00B6},
	{"parenleft", 0x0028},
	{"parenright", 0x0029},
	{"partialdiff", 0x2202},
	{"percent", 0x0025},
	{"period", 0x002E},
	{"periodcentered", 0x00B7},
	{"perthousand", 0x2030},
	{"pi", 0x03C0},
	{"plus", 0x002B},
	{"plusminus", 0x00B1},
	{"product", 0x220F},
	{"question", 0x003F},
	{"questiondown", 0x00BF},
	{"quotedbl", 0x0022},
	{"quotedblbase", 0x201E},
	{"quotedblleft", 0x201C},
	{"quotedblright", 0x201D},
	{"quoteleft", 0x2018},
	{"quotereversed", 0x201B},
	{"quoteright", 0x2019},
	{"quotesinglbase", 0x201A},
	{"quotesingle", 0x0027},
	{"racute", 0x0155},
	{"radical", 0x221A},
	{"rcaron", 0x0159},
	{"rcedilla", 0x0157},
	{"rcommaaccent", 0x0157},
	{"registered", 0x00AE},
	{"ring", 0x02DA},
	{"sacute", 0x015B},
	{"scaron", 0x0161},
	{"scedilla", 0x015F},
	{"scircumflex", 0x015D},
	{"scommaaccent", 0x0219},
	{"second", 0x2033},
	{"section", 0x00A7},
	{"semicolon", 0x003B},
	{"seven", 0x0037},
	{"sfthyphen", 0x00AD},
	{"six", 0x0036},
	{"slash", 0x002F},
	{"softhyphen", 0x00AD},
	{"space", 0x0020},
	{"sterling", 0x00A3},
	{"summation", 0x2211},
	{"tbar", 0x0167},
	{"tcaron", 0x0165},
	{"tcedilla", 0x0163},
	{"tcommaaccent", 0x0163},
	{"thorn", 0x00FE},
	{"three", 0x0033},
	{"threequarters", 0x00BE},
	{"threesuperior", 0x00B3},
	{"tilde", 0x02DC},
	{"trademark", 0x2122},
	{"two", 0x0032},
	{"twodotenleader", 0x2025},
	{"twosuperior", 0x00B2},
	{"uacute", 0x00FA},
	{"ubreve", 0x016D},
	{"ucircumflex", 0x00FB},
	{"udblacute", 0x0171},
	{"udieresis", 0x00FC},
	{"ugrave", 0x00F9},
	{"uhungarumlaut", 0x0171},
	{"umacron", 0x016B},
	{"underscore", 0x005F},
	{"underscoredbl", 0x2017},
	{"uogonek", 0x0173},
	{"uring", 0x016F},
	{"utilde", 0x0169},
	{"wcircumflex", 0x0175},
	{"yacute", 0x00FD},
	{"ycircumflex", 0x0177},
	{"ydieresis", 0x00FF},
	{"yen", 0x00A5},
	{"zacute", 0x017A},
	{"zcaron", 0x017E},
	{"zdot", 0x017C},
	{"zdotaccent", 0x017C},
	{"zero", 0x0030},
};

/*
 * The base encodings of simple fonts (ISO 32000-1 Annex D, Table D.2),
 * code to Unicode, 0 for "no glyph". WinAnsi is Windows code page 1252
 * and MacRoman Apple's Mac OS Roman, with the PDF spec's currency sign at
 * 0xDB.
 */
static const uint16_t enc_standard[256] = {
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x2019,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
	0x2018, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x00A1, 0x00A2, 0x00A3, 0x2044, 0x00A5, 0x0192, 0x00A7,
	0x00A4, 0x0027, 0x201C, 0x00AB, 0x2039, 0x203A, 0xFB01, 0xFB02,
	0x0000, 0x2013, 0x2020, 0x2021, 0x00B7, 0x0000, 0x00B6, 0x2022,
	0x201A, 0x201E, 0x201D, 0x00BB, 0x2026, 0x2030, 0x0000, 0x00BF,
	0x0000, 0x0060, 0x00B4, 0x02C6, 0x02DC, 0x00AF, 0x02D8, 0x02D9,
	0x00A8, 0x0000, 0x02DA, 0x00B8, 0x0000, 0x02DD, 0x02DB, 0x02C7,
	0x2014, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x00C6, 0x0000, 0x00AA, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0141, 0x00D8, 0x0152, 0x00BA, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x00E6, 0x0000, 0x0000, 0x0000, 0x0131, 0x0000, 0x0000,
	0x0142, 0x00F8, 0x0153, 0x00DF, 0x0000, 0x0000, 0x0000, 0x0000,
};
static const uint16_t enc_winansi[256] = {
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
	0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x0000,
	0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017D, 0x0000,
	0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178,
	0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
	0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
	0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
	0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
	0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
	0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
	0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
	0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
	0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
	0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};
static const uint16_t enc_macroman[256] = {
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
	0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x0000,
	0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1,
	0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,
	0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
	0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,
	0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF,
	0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
	0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211,
	0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8,
	0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
	0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
	0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA,
	0x00FF, 0x0178, 0x2044, 0x00A4, 0x2039, 0x203A, 0xFB01, 0xFB02,
	0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,
	0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,
	0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
	0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};
static const uint16_t enc_pdfdoc[256] = {
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x0000, 0x0009, 0x000A, 0x0000, 0x0000, 0x000D, 0x0000, 0x0000,
	0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
	0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC,
	0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x005B, 0x005C, 0x005D, 0x005E, 0x005F,
	0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x007B, 0x007C, 0x007D, 0x007E, 0x0000,
	0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
	0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
	0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
	0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0x0000,
	0x20AC, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
	0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x0000, 0x00AE, 0x00AF,
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
	0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
	0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
	0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
	0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
	0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
	0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
	0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
	0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};

/* ---- Data ------------------------------------------------------------ */

struct cs_range {
	uint8_t n;          /* bytes in a code of this range, 1..4 */
	uint8_t lo[4], hi[4];
};

struct cm_char {
	uint32_t code;
	uint32_t off, n;    /* destination code points in cmap.cps */
};

struct cm_range {
	uint32_t lo, hi;
	uint32_t off, n;    /* first destination; its last point counts up */
};

struct cmap {
	struct cs_range cs[CMAP_MAX_CODESPACE];
	size_t n_cs;
	struct cm_char *chars;   /* sorted by code, no duplicates */
	size_t n_chars;
	struct cm_range *ranges; /* sorted by lo */
	size_t n_ranges;
	uint32_t *cps;
	size_t n_cps;
};

/* A simple font's code table and widths. */
struct simple {
	char text[256][GLYPH_MAX_UTF8];
	uint8_t len[256];        /* 0: the code has no known text */
	double w[256];           /* thousandths of an em; < 0 unknown */
};

struct wrange {
	uint32_t lo, hi;
	double w;
};

enum font_kind { FONT_SIMPLE, FONT_TYPE0 };

struct font {
	enum font_kind kind;
	int vertical;            /* Identity-V or /WMode 1 */
	int nontext;             /* Symbol, ZapfDingbats: codes are symbols */
	int utf16;               /* Uni*-UCS2/UTF16: codes are UTF-16BE */
	int unknown;             /* nothing maps its codes (over the limit) */
	struct cmap *tou;        /* /ToUnicode, NULL when none */
	struct cmap *enc;        /* Type0 embedded CMap: codespace only */
	struct simple *se;       /* simple fonts */
	double dw;               /* Type0 default width */
	struct wrange *wr;       /* Type0 /W, sorted */
	size_t n_wr;
};

/* A form XObject as first met, by object number. */
struct form {
	const struct pdf_obj *obj;
	const uint8_t *data;     /* decoded content, once painted */
	size_t len;
	int skip;                /* not a form (an image, a PostScript XObject) */
	int broken;              /* content does not decode */
	int active;              /* being painted: painting it again loops */
	int textless;            /* painted once without text: never again */
};

/* Open-addressing map from a nonzero key (object number or pointer). */
struct slot {
	uintptr_t key;
	void *val;
};

struct map {
	struct slot *v;
	size_t cap, n;           /* cap is 0 or a power of two */
};

struct gstate {
	double ctm[6];
	struct font *font;
	double fs, tc, tw, th, tl;
};

/* An operand: a number, string, name or a parsed array or dictionary. */
struct opnd {
	enum pdf_tok_kind kind;
	double num;
	const uint8_t *p;
	size_t len;
	struct pdf_obj *obj;     /* PDF_TOK_ARRAY_OPEN / DICT_OPEN */
};

struct tx {
	struct pdf_doc *pd;
	size_t rev;
	struct diag *d;
	struct pdf_text_stats *st;
	struct arena scratch;    /* tokens and operands of one page */
	char *out;
	size_t len, cap;
	enum brk pending;
	int have_last;           /* last_x, last_y: end of the last text */
	double last_x, last_y;
	double slack;            /* ems of doubt about that end */
	long ops;
	size_t content;          /* bytes run, see PDF_TEXT_MAX_CONTENT */
	int nomem;
	struct diag sd;          /* for lookups that must not fail the
				    document; cleared after each failure */
	struct map fonts;        /* font dictionary -> struct font */
	struct map cmaps;        /* CMap stream -> struct cmap, or &no_cmap */
	struct map streams;      /* stream -> struct sdata */
	struct map cidfonts;     /* CIDFont dictionary -> the first font
				    that read its widths */
	size_t n_fonts;
	struct font unknown_font;
	struct map forms;        /* object number -> struct form */
	struct map nodes;        /* page tree object numbers walked */
	struct gstate gs;
	struct gstate stack[PDF_TEXT_MAX_GSTACK];
	size_t sp, lost;         /* q depth kept, and beyond the limit */
	double tm[6], tlm[6];
	int xdepth;
};

static const double identity[6] = {1, 0, 0, 1, 0, 0};

/* ---- Small helpers --------------------------------------------------- */

static void problem(struct tx *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Notes a non-fatal problem; the first one's text is kept. */
static void
problem(struct tx *t, const char *fmt, ...)
{
	char buf[DIAG_MSG_MAX];
	va_list ap;

	t->st->problems++;
	if (t->st->first_problem != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t->st->first_problem = arena_strdup(t->pd->a, buf);
}

/* Takes over a soft diag: out of memory is remembered as fatal, the rest
 * becomes a problem. The diag is cleared for its next use. */
static void
soft(struct tx *t, struct diag *sd)
{
	if (sd->code == TTE_OK)
		return;
	if (sd->code == TTE_E_NOMEM)
		t->nomem = 1;
	else
		problem(t, "%s", sd->msg);
	diag_clear(sd);
}

/* pdf_doc_get without failing the document: errors become problems. */
static struct pdf_obj *
get(struct tx *t, const struct pdf_obj *dict, const char *key)
{
	struct pdf_obj *o;

	if (dict == NULL)
		return NULL;
	o = pdf_doc_get(t->pd, t->rev, dict, key, &t->sd);
	soft(t, &t->sd);
	return o;
}

static struct pdf_obj *
resolve(struct tx *t, struct pdf_obj *o)
{
	struct pdf_obj *r = NULL;

	if (o == NULL)
		return NULL;
	if (pdf_doc_resolve(t->pd, t->rev, o, &r, &t->sd) != TTE_OK)
		r = NULL;
	soft(t, &t->sd);
	return r;
}

static void *map_get(const struct map *m, uintptr_t key);
static int map_put(struct map *m, uintptr_t key, void *val);

/* A stream as decoded for this extraction (see stream_data). */
struct sdata {
	const uint8_t *p; /* NULL: it does not decode */
	size_t len;
};

/*
 * The decoded data of a stream, or NULL (a problem is noted). Decoded
 * once per extraction, failures included: pages that share a content
 * stream each decoded it again, and 20,000 pages sharing one that fails
 * after 1 MiB took 42 s (fuzzing, tests/fuzz/regress/pdf_text).
 */
static const uint8_t *
stream_data(struct tx *t, const struct pdf_obj *s, size_t *len)
{
	struct sdata *c = map_get(&t->streams, (uintptr_t)s);
	struct diag sd;
	const uint8_t *p = NULL;

	if (c != NULL) {
		*len = c->len;
		return c->p;
	}
	*len = 0;
	diag_clear(&sd);
	if (pdf_doc_stream(t->pd, t->rev, s, &p, len, &sd) != TTE_OK)
		p = NULL;
	soft(t, &sd);
	/* Out of memory here only costs the cache. */
	c = arena_alloc(t->pd->a, sizeof(*c));
	if (c != NULL) {
		c->p = p;
		c->len = p != NULL ? *len : 0;
		(void)map_put(&t->streams, (uintptr_t)s, c);
	}
	return p;
}

static int
num_of(const struct pdf_obj *o, double *v)
{
	if (o == NULL)
		return -1;
	if (o->kind == PDF_INT) {
		*v = (double)o->u.i;
		return 0;
	}
	if (o->kind == PDF_REAL) {
		*v = o->u.r;
		return 0;
	}
	return -1;
}

/* Writes cp as UTF-8 into b (4 bytes room); returns the byte count.
 * Surrogates and values past U+10FFFF become U+FFFD. */

/* Code points that make no text: a mapping to one of them is garbage
 * (U+0000 and C0 controls other than tab and line ends). */
static int
cp_is_text(uint32_t cp)
{
	return cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r';
}

/* Value of the hex digits s[0..n), or -1 when one is not a digit. */
static long
hexnum(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		int h = hex_digit((unsigned char)s[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static int
glyph_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct glyph_name *)e)->name);
}

/* One glyph name component (no '_', no suffix) to code points. */
static size_t
glyph_part(const char *s, size_t n, uint32_t *cps, size_t max)
{
	char name[PDF_MAX_NAME_LEN + 1];
	const struct glyph_name *g;
	size_t k = 0;
	long v;

	if (n == 0 || n > PDF_MAX_NAME_LEN || max == 0)
		return 0;
	if (n == 1 && ((s[0] >= 'A' && s[0] <= 'Z') ||
		       (s[0] >= 'a' && s[0] <= 'z'))) {
		cps[0] = (unsigned char)s[0];
		return 1;
	}
	/* "uniXXXX[XXXX...]": UTF-16 units that are not surrogates (AGL
	 * specification, "Mapping a glyph name to Unicode"). */
	if (n >= 7 && (n - 3) % 4 == 0 && memcmp(s, "uni", 3) == 0) {
		for (size_t i = 3; i < n; i += 4) {
			v = hexnum(s + i, 4);
			if (v < 0 || (v >= 0xD800 && v <= 0xDFFF) || k == max)
				return 0;
			cps[k++] = (uint32_t)v;
		}
		return k;
	}
	/* "uXXXX" to "uXXXXXX": one code point. */
	if (n >= 5 && n <= 7 && s[0] == 'u') {
		v = hexnum(s + 1, n - 1);
		if (v >= 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) {
			cps[0] = (uint32_t)v;
			return 1;
		}
	}
	memcpy(name, s, n);
	name[n] = '\0';
	g = bsearch(name, glyph_names, sizeof(glyph_names) /
		    sizeof(glyph_names[0]), sizeof(glyph_names[0]), glyph_cmp);
	if (g == NULL)
		return 0;
	cps[0] = g->cp;
	return 1;
}

/* A glyph name to code points (AGL: drop a ".suffix", split at '_');
 * returns their count, 0 when the name means nothing known. */
static size_t
glyph_cps(const char *name, uint32_t *cps, size_t max)
{
	size_t n = strlen(name), k = 0, start = 0, got;
	const char *dot = memchr(name, '.', n);

	if (dot != NULL)
		n = (size_t)(dot - name);
	if (n == 0)
		return 0; /* ".notdef" and friends */
	for (size_t i = 0; i <= n; i++) {
		if (i < n && name[i] != '_')
			continue;
		got = glyph_part(name + start, i - start, cps + k, max - k);
		if (got == 0)
			return 0;
		k += got;
		start = i + 1;
	}
	return k;
}

/* ---- Maps ------------------------------------------------------------ */

static size_t
slot_of(uintptr_t key, size_t cap)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;

	return (size_t)(h >> 32) & (cap - 1);
}

static void *
map_get(const struct map *m, uintptr_t key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->v[i].key == key)
			return m->v[i].val;
		if (m->v[i].key == 0)
			return NULL;
	}
}

/* Sets key to val; -1 when out of memory. */
static int
map_put(struct map *m, uintptr_t key, void *val)
{
	struct slot *nv;
	size_t ncap, i;

	if ((m->n + 1) * 2 > m->cap) {
		ncap = m->cap == 0 ? 64 : m->cap * 2;
		nv = calloc(ncap, sizeof(*nv));
		if (nv == NULL)
			return -1;
		for (size_t j = 0; j < m->cap; j++) {
			if (m->v[j].key == 0)
				continue;
			for (i = slot_of(m->v[j].key, ncap); nv[i].key != 0;
			     i = (i + 1) & (ncap - 1))
				;
			nv[i] = m->v[j];
		}
		free(m->v);
		m->v = nv;
		m->cap = ncap;
	}
	for (i = slot_of(key, m->cap); m->v[i].key != 0 && m->v[i].key != key;
	     i = (i + 1) & (m->cap - 1))
		;
	if (m->v[i].key == 0)
		m->n++;
	m->v[i].key = key;
	m->v[i].val = val;
	return 0;
}

static void
map_free(struct map *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}

/* ---- CMaps ----------------------------------------------------------- */

/* Growable arrays while a CMap is read; copied to the arena at the end. */
struct cm_build {
	struct cm_char *chars;
	size_t n_chars, cap_chars;
	struct cm_range *ranges;
	size_t n_ranges, cap_ranges;
	uint32_t *cps;
	size_t n_cps, cap_cps;
	size_t entries;
};

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap == 0 ? 64 : *cap;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

/* Big-endian value of a 1- to 4-byte code; -1 for other lengths. */
static int64_t
code_of(const uint8_t *p, size_t n)
{
	uint32_t v = 0;

	if (n == 0 || n > 4)
		return -1;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Appends k code points to b's pool; -1 when out of memory. */
static int
put_cps(struct cm_build *b, const uint32_t *cps, size_t k, uint32_t *off,
	uint32_t *n)
{
	*off = (uint32_t)b->n_cps;
	*n = (uint32_t)k;
	if (k == 0)
		return 0;
	if (grow((void **)&b->cps, &b->cap_cps, b->n_cps + k, sizeof(uint32_t)))
		return -1;
	memcpy(b->cps + b->n_cps, cps, k * sizeof(uint32_t));
	b->n_cps += k;
	return 0;
}

/* Appends the code points of a UTF-16BE destination (*n = 0 when it
 * holds none); -1 when out of memory. */
static int
put_dst(struct cm_build *b, const uint8_t *p, size_t len, uint32_t *off,
	uint32_t *n)
{
	uint32_t cps[CMAP_MAX_DST];
	size_t k = 0, i = 0;

	if (len == 1) {
		/* Not UTF-16, but seen: one byte standing for itself. */
		cps[k++] = p[0];
	}
	while (i + 1 < len && k < CMAP_MAX_DST) {
		uint32_t u = (uint32_t)p[i] << 8 | p[i + 1];

		i += 2;
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < len) {
			uint32_t l = (uint32_t)p[i] << 8 | p[i + 1];

			if (l >= 0xDC00 && l <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
				i += 2;
			}
		}
		cps[k++] = u;
	}
	return put_cps(b, cps, k, off, n);
}

static int
add_char(struct cm_build *b, uint32_t code, uint32_t off, uint32_t n)
{
	if (n == 0)
		return 0;
	if (grow((void **)&b->chars, &b->cap_chars, b->n_chars + 1,
		 sizeof(*b->chars)))
		return -1;
	b->chars[b->n_chars++] = (struct cm_char){code, off, n};
	return 0;
}

static int
char_cmp(const void *a, const void *b)
{
	const struct cm_char *x = a, *y = b;

	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	/* Same code: the later definition (higher offset) last. */
	return x->off < y->off ? -1 : x->off > y->off;
}

static int
range_cmp(const void *a, const void *b)
{
	const struct cm_range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * Counts one token refused at off in a stream of len bytes: returns 0
 * when the byte after it may be tried, -1 when the rest of the stream is
 * given up. A refusal that may have read up to the end of the stream
 * (far: an unterminated string, array or dictionary, a string over
 * PDF_MAX_STRING_LEN) weighs in proportion to what it read, so that all
 * retries together read the stream at most about 2 * (LEX_RESCAN_TIMES
 * * len + LEX_RESCAN_MIN) bytes. Counted one each, an unterminated "("
 * retried from each next byte read the stream LEX_MAX_ERRORS times over:
 * 17 s for a 130 kB file whose content stream inflates to 64 MB (fuzzing,
 * tests/fuzz/regress/pdf_text).
 */
static int
lex_refused(size_t *errs, size_t off, size_t len, int far)
{
	uint64_t w = 1;

	if (off >= len)
		return -1;
	if (far)
		w += (uint64_t)(len - off) * LEX_MAX_ERRORS /
		     ((uint64_t)len * LEX_RESCAN_TIMES + LEX_RESCAN_MIN);
	*errs += (size_t)w; /* at most 1 + LEX_MAX_ERRORS */
	return *errs > LEX_MAX_ERRORS ? -1 : 0;
}

/* Lexes the next token of a CMap, skipping bytes the lexer refuses.
 * Returns 0, or -1 at the end (or past LEX_MAX_ERRORS, see lex_refused). */
static int
cm_tok(struct pdf_lex *lx, struct pdf_tok *tok, size_t *errs, int *nomem)
{
	struct diag sd;
	tte_err rc;

	for (;;) {
		diag_clear(&sd);
		rc = pdf_lex_next(lx, tok, &sd);
		if (rc == TTE_OK)
			return tok->kind == PDF_TOK_EOF ? -1 : 0;
		if (rc == TTE_E_NOMEM) {
			*nomem = 1;
			return -1;
		}
		if (lex_refused(errs, tok->off, lx->r.len,
				rc != TTE_E_MALFORMED) != 0)
			return -1;
		lx->r.off = tok->off + 1;
	}
}

static int
kw_is(const struct pdf_tok *t, const char *kw)
{
	size_t n = strlen(kw);

	return t->kind == PDF_TOK_KEYWORD && t->len == n &&
	       memcmp(t->p, kw, n) == 0;
}

/*
 * Reads a CMap stream (ToUnicode or an embedded /Encoding) into *out
 * (arena). A CMap that does not decode gives NULL and a problem; one
 * with more than PDF_TEXT_MAX_CMAP_ENTRIES entries keeps the first ones.
 */
static tte_err
cmap_read(struct tx *t, const struct pdf_obj *s, struct cmap **out)
{
	struct cm_build b;
	struct arena tmp;
	struct pdf_lex lx;
	struct pdf_tok a, hi, dst;
	struct cmap *cm = NULL;
	const uint8_t *data;
	size_t len, errs = 0, keep;
	int nomem = 0, full = 0;
	int64_t lo, h;
	uint32_t off, n;
	tte_err rc = TTE_OK;

	memset(&b, 0, sizeof(b));
	arena_init(&tmp);
	*out = NULL;
	data = stream_data(t, s, &len);
	if (data == NULL)
		goto out;
	cm = arena_alloc(t->pd->a, sizeof(*cm));
	ENSURE(cm != NULL, TTE_E_NOMEM, t->d, "cmap");
	pdf_lex_init(&lx, data, len, &tmp);
	while (!full && cm_tok(&lx, &a, &errs, &nomem) == 0) {
		if (kw_is(&a, "begincodespacerange")) {
			while (cm_tok(&lx, &a, &errs, &nomem) == 0 &&
			       !kw_is(&a, "endcodespacerange")) {
				if (cm_tok(&lx, &hi, &errs, &nomem) != 0)
					break;
				if (a.kind != PDF_TOK_STRING ||
				    hi.kind != PDF_TOK_STRING || a.len == 0 ||
				    a.len > 4 || hi.len != a.len ||
				    cm->n_cs == CMAP_MAX_CODESPACE)
					continue;
				cm->cs[cm->n_cs].n = (uint8_t)a.len;
				memcpy(cm->cs[cm->n_cs].lo, a.p, a.len);
				memcpy(cm->cs[cm->n_cs].hi, hi.p, a.len);
				cm->n_cs++;
			}
		} else if (kw_is(&a, "beginbfchar")) {
			while (cm_tok(&lx, &a, &errs, &nomem) == 0 &&
			       !kw_is(&a, "endbfchar")) {
				if (cm_tok(&lx, &dst, &errs, &nomem) != 0)
					break;
				lo = a.kind == PDF_TOK_STRING ?
					     code_of(a.p, a.len) : -1;
				if (lo < 0)
					continue;
				if (++b.entries > PDF_TEXT_MAX_CMAP_ENTRIES) {
					full = 1;
					break;
				}
				if (dst.kind == PDF_TOK_NAME) {
					uint32_t cps[GLYPH_MAX_CPS];
					size_t k = glyph_cps((const char *)dst.p,
							     cps, GLYPH_MAX_CPS);

					ENSURE(put_cps(&b, cps, k, &off, &n) == 0,
					       TTE_E_NOMEM, t->d, "cmap");
				} else if (dst.kind == PDF_TOK_STRING) {
					ENSURE(put_dst(&b, dst.p, dst.len, &off,
						       &n) == 0,
					       TTE_E_NOMEM, t->d, "cmap");
				} else {
					continue;
				}
				ENSURE(add_char(&b, (uint32_t)lo, off, n) == 0,
				       TTE_E_NOMEM, t->d, "cmap");
			}
		} else if (kw_is(&a, "beginbfrange")) {
			while (cm_tok(&lx, &a, &errs, &nomem) == 0 &&
			       !kw_is(&a, "endbfrange")) {
				if (cm_tok(&lx, &hi, &errs, &nomem) != 0 ||
				    cm_tok(&lx, &dst, &errs, &nomem) != 0)
					break;
				lo = a.kind == PDF_TOK_STRING ?
					     code_of(a.p, a.len) : -1;
				h = hi.kind == PDF_TOK_STRING ?
					    code_of(hi.p, hi.len) : -1;
				if (++b.entries > PDF_TEXT_MAX_CMAP_ENTRIES) {
					full = 1;
					break;
				}
				if (dst.kind == PDF_TOK_ARRAY_OPEN) {
					/* [<dst> <dst> ...]: one per code. */
					int64_t c = lo;

					while (cm_tok(&lx, &dst, &errs,
						      &nomem) == 0 &&
					       dst.kind != PDF_TOK_ARRAY_CLOSE) {
						if (dst.kind != PDF_TOK_STRING ||
						    lo < 0 || c > h)
							continue;
						if (++b.entries >
						    PDF_TEXT_MAX_CMAP_ENTRIES) {
							full = 1;
							break;
						}
						ENSURE(put_dst(&b, dst.p, dst.len,
							       &off, &n) == 0 &&
							       add_char(&b,
									(uint32_t)c,
									off, n) ==
								       0,
						       TTE_E_NOMEM, t->d, "cmap");
						c++;
					}
					continue;
				}
				if (dst.kind != PDF_TOK_STRING || lo < 0 ||
				    h < lo)
					continue;
				ENSURE(put_dst(&b, dst.p, dst.len, &off, &n) ==
					       0,
				       TTE_E_NOMEM, t->d, "cmap");
				if (n == 0)
					continue;
				ENSURE(grow((void **)&b.ranges, &b.cap_ranges,
					    b.n_ranges + 1,
					    sizeof(*b.ranges)) == 0,
				       TTE_E_NOMEM, t->d, "cmap");
				b.ranges[b.n_ranges++] = (struct cm_range){
					(uint32_t)lo, (uint32_t)h, off, n};
			}
		}
	}
	ENSURE(!nomem, TTE_E_NOMEM, t->d, "cmap");
	if (full)
		problem(t, "a cmap has more than %d entries",
			PDF_TEXT_MAX_CMAP_ENTRIES);
	/* Sort, and of codes defined twice keep the last definition. */
	if (b.n_chars > 0)
		qsort(b.chars, b.n_chars, sizeof(*b.chars), char_cmp);
	keep = 0;
	for (size_t i = 0; i < b.n_chars; i++) {
		if (i + 1 < b.n_chars && b.chars[i + 1].code == b.chars[i].code)
			continue;
		b.chars[keep++] = b.chars[i];
	}
	b.n_chars = keep;
	if (b.n_ranges > 0)
		qsort(b.ranges, b.n_ranges, sizeof(*b.ranges), range_cmp);
	cm->n_chars = b.n_chars;
	cm->n_ranges = b.n_ranges;
	cm->n_cps = b.n_cps;
	cm->chars = arena_alloc(t->pd->a, b.n_chars * sizeof(*cm->chars) + 1);
	cm->ranges = arena_alloc(t->pd->a,
				 b.n_ranges * sizeof(*cm->ranges) + 1);
	cm->cps = arena_alloc(t->pd->a, b.n_cps * sizeof(*cm->cps) + 1);
	ENSURE(cm->chars != NULL && cm->ranges != NULL && cm->cps != NULL,
	       TTE_E_NOMEM, t->d, "cmap");
	if (b.n_chars > 0)
		memcpy(cm->chars, b.chars, b.n_chars * sizeof(*cm->chars));
	if (b.n_ranges > 0)
		memcpy(cm->ranges, b.ranges, b.n_ranges * sizeof(*cm->ranges));
	if (b.n_cps > 0)
		memcpy(cm->cps, b.cps, b.n_cps * sizeof(*cm->cps));
	*out = cm;
out:
	free(b.chars);
	free(b.ranges);
	free(b.cps);
	arena_release(&tmp);
	return rc;
}

/* A map value: the stream is no readable CMap. */
static char no_cmap;

/*
 * cmap_read, once per stream: fonts that share a CMap (the same object:
 * pdf_doc caches objects) share what was read. Read for each font, 4,000
 * fonts sharing one ToUnicode stream of 1 MB took 32 s and 4 GB
 * (fuzzing, tests/fuzz/regress/pdf_text).
 */
static tte_err
cmap_get(struct tx *t, const struct pdf_obj *s, struct cmap **out)
{
	void *v = map_get(&t->cmaps, (uintptr_t)s);
	tte_err rc = TTE_OK;

	if (v != NULL) {
		*out = v == (void *)&no_cmap ? NULL : v;
		goto out;
	}
	TRY(cmap_read(t, s, out));
	ENSURE(map_put(&t->cmaps, (uintptr_t)s,
		       *out != NULL ? (void *)*out : (void *)&no_cmap) == 0,
	       TTE_E_NOMEM, t->d, "cmap");
out:
	return rc;
}

/* The text of code in cm as UTF-8 into buf (room for CMAP_MAX_DST code
 * points); returns its length, 0 when cm does not map code to text. */
static size_t
cmap_lookup(const struct cmap *cm, uint32_t code, char *buf)
{
	size_t lo = 0, hi, n = 0, first;
	const uint32_t *cps = NULL;
	uint32_t cnt = 0, last = 0;

	hi = cm->n_chars;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cm->chars[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cm->n_chars && cm->chars[lo].code == code) {
		cps = cm->cps + cm->chars[lo].off;
		cnt = cm->chars[lo].n;
		last = cps[cnt - 1];
	} else {
		/* The last range starting at or before code, then a few
		 * before it in case ranges overlap. */
		lo = 0;
		hi = cm->n_ranges;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cm->ranges[mid].lo <= code)
				lo = mid + 1;
			else
				hi = mid;
		}
		first = lo > RANGE_SCAN ? lo - RANGE_SCAN : 0;
		while (lo > first) {
			const struct cm_range *r = &cm->ranges[--lo];

			if (code < r->lo || code > r->hi)
				continue;
			cps = cm->cps + r->off;
			cnt = r->n;
			last = cps[cnt - 1] + (code - r->lo);
			break;
		}
	}
	if (cps == NULL)
		return 0;
	for (uint32_t i = 0; i < cnt; i++) {
		uint32_t cp = i + 1 == cnt ? last : cps[i];

		if (!cp_is_text(cp))
			return 0;
		n += utf8_put(cp, buf + n);
	}
	return n;
}

/* Bytes in the code at p[0..n) under cm's codespace (§9.7.6.2); codes
 * that fit no range take the shortest length. 0 when cm has none. */
static size_t
cmap_code_len(const struct cmap *cm, const uint8_t *p, size_t n)
{
	size_t shortest = 4;

	if (cm == NULL || cm->n_cs == 0)
		return 0;
	for (size_t k = 1; k <= 4 && k <= n; k++) {
		for (size_t r = 0; r < cm->n_cs; r++) {
			const struct cs_range *c = &cm->cs[r];
			size_t i;

			if (c->n != k)
				continue;
			for (i = 0; i < k; i++)
				if (p[i] < c->lo[i] || p[i] > c->hi[i])
					break;
			if (i == k)
				return k;
		}
	}
	for (size_t r = 0; r < cm->n_cs; r++)
		if (cm->cs[r].n < shortest)
			shortest = cm->cs[r].n;
	return shortest;
}

/* ---- Fonts ----------------------------------------------------------- */

/* The base encoding called name, or NULL. */
static const uint16_t *
base_encoding(const struct pdf_obj *name)
{
	if (pdf_name_is(name, "WinAnsiEncoding"))
		return enc_winansi;
	if (pdf_name_is(name, "MacRomanEncoding"))
		return enc_macroman;
	if (pdf_name_is(name, "StandardEncoding"))
		return enc_standard;
	if (pdf_name_is(name, "PDFDocEncoding"))
		return enc_pdfdoc;
	return NULL;
}

static void
set_glyph(struct simple *se, size_t code, const uint32_t *cps, size_t k)
{
	char buf[GLYPH_MAX_UTF8];
	size_t n = 0;

	se->len[code] = 0;
	for (size_t i = 0; i < k; i++) {
		if (n + 4 > sizeof(buf) || !cp_is_text(cps[i]))
			return;
		n += utf8_put(cps[i], buf + n);
	}
	memcpy(se->text[code], buf, n);
	se->len[code] = (uint8_t)n;
}

/* BaseFont without a subset tag ("ABCDEF+Symbol" is "Symbol"). */
static int
base_font_is(const struct pdf_obj *bf, const char *name)
{
	const char *s;

	if (bf == NULL || bf->kind != PDF_NAME)
		return 0;
	s = bf->u.n.p;
	if (bf->u.n.len > 7 && s[6] == '+')
		s += 7;
	return strcmp(s, name) == 0;
}

/* Code table and widths of a simple font (§9.6.6, §9.6.2, §9.6.5). */
static tte_err
simple_read(struct tx *t, const struct pdf_obj *fo, struct font *f,
	    int type3)
{
	struct simple *se;
	const struct pdf_obj *enc = get(t, fo, "Encoding");
	const struct pdf_obj *sub = get(t, fo, "Subtype");
	const struct pdf_obj *diffs = NULL, *wa, *fd;
	const uint16_t *base = NULL;
	double first = 0, v, missing = -1, scale = 1, fm0;
	tte_err rc = TTE_OK;

	se = arena_alloc(t->pd->a, sizeof(*se));
	ENSURE(se != NULL, TTE_E_NOMEM, t->d, "font");
	f->se = se;
	if (enc != NULL && enc->kind == PDF_NAME) {
		base = base_encoding(enc);
	} else if (enc != NULL && enc->kind == PDF_DICT) {
		base = base_encoding(get(t, enc, "BaseEncoding"));
		diffs = get(t, enc, "Differences");
	}
	if (base == NULL) {
		/* The font's built-in encoding is not read (the font
		 * program is not parsed): Standard for Type 1, and WinAnsi,
		 * which is what TrueType fonts in Latin text use. */
		base = pdf_name_is(sub, "TrueType") ? enc_winansi :
						      enc_standard;
		if (enc == NULL &&
		    (base_font_is(pdf_dict_get(fo, "BaseFont"), "Symbol") ||
		     base_font_is(pdf_dict_get(fo, "BaseFont"),
				  "ZapfDingbats")))
			f->nontext = 1;
	}
	for (size_t c = 0; c < 256; c++) {
		uint32_t cp = base[c];

		set_glyph(se, c, &cp, cp != 0);
		se->w[c] = -1;
	}
	if (diffs != NULL && diffs->kind == PDF_ARRAY) {
		int64_t code = -1;

		for (size_t i = 0; i < diffs->u.a.n; i++) {
			const struct pdf_obj *e = diffs->u.a.v[i];
			uint32_t cps[GLYPH_MAX_CPS];

			if (e->kind == PDF_INT) {
				code = e->u.i;
				continue;
			}
			if (e->kind != PDF_NAME || code < 0 || code > 255) {
				code = -1;
				continue;
			}
			set_glyph(se, (size_t)code, cps,
				  glyph_cps(e->u.n.p, cps, GLYPH_MAX_CPS));
			code++;
		}
	}
	/* Widths: glyph space is 1/1000 of text space except in Type 3
	 * fonts, whose /FontMatrix says (§9.6.5). */
	if (type3) {
		const struct pdf_obj *fm = get(t, fo, "FontMatrix");

		if (fm != NULL && fm->kind == PDF_ARRAY && fm->u.a.n == 6 &&
		    num_of(fm->u.a.v[0], &fm0) == 0 && fm0 > 0 && fm0 < 1e3)
			scale = fm0 * 1000;
		else
			scale = 0; /* unknown: guessed */
	}
	fd = get(t, fo, "FontDescriptor");
	if (num_of(get(t, fd, "MissingWidth"), &v) == 0 && v > 0 && v < 1e5)
		missing = v * scale;
	wa = get(t, fo, "Widths");
	if (scale > 0 && wa != NULL && wa->kind == PDF_ARRAY &&
	    num_of(get(t, fo, "FirstChar"), &first) == 0 && first >= 0 &&
	    first < 256) {
		for (size_t i = 0; i < wa->u.a.n && (size_t)first + i < 256;
		     i++) {
			if (num_of(wa->u.a.v[i], &v) == 0 && v >= 0 &&
			    v < 1e5)
				se->w[(size_t)first + i] = v * scale;
		}
	}
	for (size_t c = 0; c < 256; c++)
		if (se->w[c] < 0)
			se->w[c] = missing;
out:
	return rc;
}

static int
wrange_cmp(const void *a, const void *b)
{
	const struct wrange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The /W array of a CIDFont (§9.7.4.3): c [w1 w2 ...] | cfirst clast w. */
static tte_err
cid_widths(struct tx *t, const struct pdf_obj *cf, struct font *f)
{
	const struct pdf_obj *w = get(t, cf, "W");
	const struct font *seen;
	struct wrange *v = NULL;
	size_t n = 0, cap = 0;
	double a, b, x;
	tte_err rc = TTE_OK;

	/* Read once per CIDFont, as CMaps are (see cmap_get): fonts that
	 * share one with a long /W would each hold a copy. */
	seen = cf != NULL ? map_get(&t->cidfonts, (uintptr_t)cf) : NULL;
	if (seen != NULL) {
		f->dw = seen->dw;
		f->wr = seen->wr;
		f->n_wr = seen->n_wr;
		goto out;
	}
	f->dw = 1000; /* §9.7.4.3, Table 117: /DW default */
	if (num_of(get(t, cf, "DW"), &x) == 0 && x >= 0 && x < 1e5)
		f->dw = x;
	if (w == NULL || w->kind != PDF_ARRAY)
		goto out;
	for (size_t i = 0; i + 1 < w->u.a.n;) {
		const struct pdf_obj *e1 = resolve(t, w->u.a.v[i + 1]);

		if (num_of(w->u.a.v[i], &a) != 0 || a < 0 || a > 0xFFFFFFFF)
			break;
		if (e1 != NULL && e1->kind == PDF_ARRAY) {
			for (size_t k = 0; k < e1->u.a.n; k++) {
				if (n == PDF_TEXT_MAX_CMAP_ENTRIES ||
				    a + (double)k > 0xFFFFFFFF)
					break;
				if (num_of(e1->u.a.v[k], &x) != 0)
					continue;
				ENSURE(grow((void **)&v, &cap, n + 1,
					    sizeof(*v)) == 0,
				       TTE_E_NOMEM, t->d, "widths");
				v[n++] = (struct wrange){
					(uint32_t)a + (uint32_t)k,
					(uint32_t)a + (uint32_t)k, x};
			}
			i += 2;
			continue;
		}
		if (i + 2 >= w->u.a.n || num_of(w->u.a.v[i + 1], &b) != 0 ||
		    num_of(w->u.a.v[i + 2], &x) != 0 || b < a ||
		    b > 0xFFFFFFFF || n == PDF_TEXT_MAX_CMAP_ENTRIES)
			break;
		ENSURE(grow((void **)&v, &cap, n + 1, sizeof(*v)) == 0,
		       TTE_E_NOMEM, t->d, "widths");
		v[n++] = (struct wrange){(uint32_t)a, (uint32_t)b, x};
		i += 3;
	}
	if (n > 0) {
		qsort(v, n, sizeof(*v), wrange_cmp);
		f->wr = arena_alloc(t->pd->a, n * sizeof(*v));
		ENSURE(f->wr != NULL, TTE_E_NOMEM, t->d, "widths");
		memcpy(f->wr, v, n * sizeof(*v));
		f->n_wr = n;
	}
	if (cf != NULL)
		ENSURE(map_put(&t->cidfonts, (uintptr_t)cf, f) == 0,
		       TTE_E_NOMEM, t->d, "widths");
out:
	free(v);
	return rc;
}

/* Composite font (§9.7): how codes are cut, what they mean, widths. */
static tte_err
type0_read(struct tx *t, const struct pdf_obj *fo, struct font *f)
{
	const struct pdf_obj *enc = get(t, fo, "Encoding");
	const struct pdf_obj *df = get(t, fo, "DescendantFonts");
	const struct pdf_obj *cf = NULL;
	double wm;
	tte_err rc = TTE_OK;

	f->kind = FONT_TYPE0;
	if (enc != NULL && enc->kind == PDF_NAME) {
		const char *s = enc->u.n.p;
		size_t n = enc->u.n.len;

		f->vertical = n >= 2 && strcmp(s + n - 2, "-V") == 0;
		/* Predefined Unicode CMaps (§9.7.5.2, Table 118): the code
		 * is the character. */
		f->utf16 = strncmp(s, "Uni", 3) == 0 &&
			   (strstr(s, "-UCS2-") != NULL ||
			    strstr(s, "-UTF16-") != NULL);
	} else if (enc != NULL && enc->kind == PDF_STREAM) {
		TRY(cmap_get(t, enc, &f->enc));
		if (num_of(get(t, enc, "WMode"), &wm) == 0 && wm == 1)
			f->vertical = 1;
	}
	if (df != NULL && df->kind == PDF_ARRAY && df->u.a.n > 0)
		cf = resolve(t, df->u.a.v[0]);
	TRY(cid_widths(t, cf, f));
out:
	return rc;
}

/*
 * The font called name in res (NULL when there is none: *missing is
 * set). Fonts are read once per document, keyed by their dictionary
 * (pdf_doc caches objects, so the same dictionary is the same pointer).
 */
static tte_err
font_get(struct tx *t, const struct pdf_obj *res, const char *name,
	 struct font **out)
{
	const struct pdf_obj *fo = get(t, get(t, res, "Font"), name);
	const struct pdf_obj *tou, *sub;
	struct font *f;
	tte_err rc = TTE_OK;

	*out = NULL;
	if (fo == NULL || fo->kind != PDF_DICT)
		goto out;
	f = map_get(&t->fonts, (uintptr_t)fo);
	if (f != NULL) {
		*out = f;
		goto out;
	}
	if (t->n_fonts >= PDF_TEXT_MAX_FONTS) {
		if (t->n_fonts++ == PDF_TEXT_MAX_FONTS)
			problem(t, "more than %d fonts", PDF_TEXT_MAX_FONTS);
		*out = &t->unknown_font;
		goto out;
	}
	f = arena_alloc(t->pd->a, sizeof(*f));
	ENSURE(f != NULL, TTE_E_NOMEM, t->d, "font");
	sub = get(t, fo, "Subtype");
	tou = get(t, fo, "ToUnicode");
	if (tou != NULL && tou->kind == PDF_STREAM)
		TRY(cmap_get(t, tou, &f->tou));
	if (pdf_name_is(sub, "Type0"))
		TRY(type0_read(t, fo, f));
	else
		TRY(simple_read(t, fo, f, pdf_name_is(sub, "Type3")));
	ENSURE(!t->nomem && map_put(&t->fonts, (uintptr_t)fo, f) == 0,
	       TTE_E_NOMEM, t->d, "font");
	t->n_fonts++;
	*out = f;
out:
	return rc;
}

/* Width of a code in thousandths of an em; *guess set when made up. */
static double
code_width(const struct font *f, uint32_t code, int *guess)
{
	size_t lo = 0, hi;

	*guess = 0;
	if (f->kind == FONT_SIMPLE && f->se != NULL && code < 256 &&
	    f->se->w[code] >= 0)
		return f->se->w[code];
	if (f->kind == FONT_TYPE0 && !f->unknown) {
		/* CID = code holds for Identity CMaps, which is what fonts
		 * with /W use in practice. */
		hi = f->n_wr;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (f->wr[mid].lo <= code)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && code <= f->wr[lo - 1].hi)
			return f->wr[lo - 1].w;
		return f->dw;
	}
	*guess = 1;
	return GUESS_WIDTH;
}

/* ---- Output ---------------------------------------------------------- */

static tte_err
put(struct tx *t, const char *s, size_t n)
{
	char *np;
	size_t ncap;
	tte_err rc = TTE_OK;

	if (n > PDF_TEXT_MAX_OUT - t->len)
		BAIL(TTE_E_TOO_BIG, t->d, "more than %lu bytes of text",
		     (unsigned long)PDF_TEXT_MAX_OUT);
	if (t->len + n > t->cap) {
		ncap = t->cap == 0 ? 4096 : t->cap;
		while (ncap < t->len + n)
			ncap *= 2;
		if (ncap > PDF_TEXT_MAX_OUT)
			ncap = PDF_TEXT_MAX_OUT;
		np = realloc(t->out, ncap);
		ENSURE(np != NULL, TTE_E_NOMEM, t->d, "text");
		t->out = np;
		t->cap = ncap;
	}
	memcpy(t->out + t->len, s, n);
	t->len += n;
out:
	return rc;
}

static int
ends_blank(const struct tx *t)
{
	char c;

	if (t->len == 0)
		return 1;
	c = t->out[t->len - 1];
	return c == ' ' || c == '\n' || c == '\f';
}

/* Writes the text of one glyph, after the pending break. */
static tte_err
emit(struct tx *t, const char *s, size_t n)
{
	tte_err rc = TTE_OK;

	if (t->pending == BRK_LINE && t->len > 0 &&
	    t->out[t->len - 1] != '\n' && t->out[t->len - 1] != '\f') {
		/* A space before the line end says nothing. */
		if (t->out[t->len - 1] == ' ')
			t->len--;
		TRY(put(t, "\n", 1));
	} else if (t->pending == BRK_SPACE && !ends_blank(t) && n > 0 &&
		   s[0] != ' ') {
		TRY(put(t, " ", 1));
	}
	t->pending = BRK_NONE;
	TRY(put(t, s, n));
out:
	return rc;
}

/* ---- Geometry -------------------------------------------------------- */

/* r = a x b for PDF matrices [a b c d e f] (§8.3.4). */
static void
mat_mul(const double *a, const double *b, double *r)
{
	double m[6];

	m[0] = a[0] * b[0] + a[1] * b[2];
	m[1] = a[0] * b[1] + a[1] * b[3];
	m[2] = a[2] * b[0] + a[3] * b[2];
	m[3] = a[2] * b[1] + a[3] * b[3];
	m[4] = a[4] * b[0] + a[5] * b[2] + b[4];
	m[5] = a[4] * b[1] + a[5] * b[3] + b[5];
	memcpy(r, m, sizeof(m));
}

static double
absd(double v)
{
	return v < 0 ? -v : v;
}

/*
 * Compares where text now starts with where the last text ended, in the
 * current text space and in ems (§9.4.4): a vertical move of half an em
 * is a new line, a horizontal gap of a fifth of an em a space.
 */
static void
judge_gap(struct tx *t)
{
	double m[6], dx, dy, det, x, y, fs;

	if (!t->have_last)
		return;
	mat_mul(t->tm, t->gs.ctm, m);
	dx = m[4] - t->last_x;
	dy = m[5] - t->last_y;
	det = m[0] * m[3] - m[1] * m[2];
	fs = absd(t->gs.fs) > 1e-6 ? absd(t->gs.fs) : 1;
	if (!(absd(det) > 1e-12)) {
		/* Degenerate matrix: nothing to measure in. */
		if (absd(dx) + absd(dy) > 1e-6 && t->pending == BRK_NONE)
			t->pending = BRK_SPACE;
		return;
	}
	x = (m[3] * dx - m[2] * dy) / det / fs;
	y = (-m[1] * dx + m[0] * dy) / det / fs;
	if (absd(y) > 0.5) {
		t->pending = BRK_LINE;
	} else if ((x > 0.2 + t->slack || x < -(0.6 + t->slack)) &&
		   t->pending == BRK_NONE) {
		t->pending = BRK_SPACE;
	}
}

/* Moves the text position by (tx, ty) in text space. */
static void
advance(struct tx *t, double tx, double ty)
{
	t->tm[4] += tx * t->tm[0] + ty * t->tm[2];
	t->tm[5] += tx * t->tm[1] + ty * t->tm[3];
}

/* Td: a new line at (tx, ty) from the start of the current one. */
static void
next_line(struct tx *t, double tx, double ty)
{
	double m[6] = {1, 0, 0, 1, tx, ty};

	mat_mul(m, t->tlm, t->tlm);
	memcpy(t->tm, t->tlm, sizeof(t->tm));
}

/* ---- Showing text ---------------------------------------------------- */

/*
 * Shows one string (§9.4.3): cuts it into codes, writes their text and
 * moves the text position by their widths. gap: judge the distance from
 * the last text first (not inside one TJ, where numbers say it).
 */
static tte_err
show(struct tx *t, const uint8_t *p, size_t n, int gap)
{
	struct font *f = t->gs.font;
	char buf[CMAP_MAX_DST * 4];
	size_t i = 0, nb, k, guesses = 0;
	uint32_t code;
	double w, m[6], adv;
	int guess;
	tte_err rc = TTE_OK;

	if (gap)
		judge_gap(t);
	while (i < n) {
		nb = 1;
		if (f != NULL && f->kind == FONT_TYPE0) {
			nb = cmap_code_len(f->enc, p + i, n - i);
			if (nb == 0)
				nb = f->utf16 && n - i >= 4 && p[i] >= 0xD8 &&
					     p[i] <= 0xDB ?
					     4 :
					     2;
			if (nb > n - i)
				nb = n - i;
		}
		code = 0;
		for (size_t j = 0; j < nb; j++)
			code = code << 8 | p[i + j];
		k = 0;
		if (f != NULL && f->tou != NULL)
			k = cmap_lookup(f->tou, code, buf);
		if (k == 0 && f != NULL && f->kind == FONT_SIMPLE &&
		    !f->nontext && f->se->len[code] > 0) {
			k = f->se->len[code];
			memcpy(buf, f->se->text[code], k);
		}
		if (k == 0 && f != NULL && f->utf16) {
			uint32_t cp = nb == 4 ? 0x10000 +
						((code >> 16) - 0xD800) * 1024 +
						((code & 0xFFFF) - 0xDC00) :
					  code;

			if (cp_is_text(cp) && (nb == 2 || nb == 4))
				k = utf8_put(cp, buf);
		}
		if (k > 0) {
			TRY(emit(t, buf, k));
		} else if (f != NULL && f->nontext) {
			/* A symbol font: nothing to write, nothing lost. */
		} else {
			t->st->undecodable++;
			TRY(emit(t, "\xEF\xBF\xBD", 3));
		}
		w = f != NULL ? code_width(f, code, &guess) :
				(guess = 1, GUESS_WIDTH);
		guesses += (size_t)guess;
		if (f != NULL && f->vertical) {
			advance(t, 0, -absd(t->gs.fs) + t->gs.tc);
		} else {
			adv = w / 1000 * t->gs.fs + t->gs.tc;
			if (nb == 1 && code == ' ')
				adv += t->gs.tw; /* §9.3.3 word spacing */
			advance(t, adv * t->gs.th, 0);
		}
		i += nb;
	}
	mat_mul(t->tm, t->gs.ctm, m);
	t->last_x = m[4];
	t->last_y = m[5];
	t->have_last = 1;
	/* With guessed widths the end is only roughly known. */
	if (gap)
		t->slack = 0;
	t->slack += GUESS_SLACK * (double)guesses;
	if (t->slack > 1e6)
		t->slack = 1e6;
out:
	return rc;
}

/* ---- Inline images --------------------------------------------------- */

static int
is_ws(uint8_t c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	       c == ' ';
}

static int
is_delim(uint8_t c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	       c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

/* Whether the bytes after a candidate EI read as content rather than
 * image data: printable ASCII up to the first string. */
static int
looks_like_content(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n && i < EI_PROBE; i++) {
		if (s[i] == '(' || s[i] == '<')
			return 1;
		if (!is_ws(s[i]) && (s[i] < 0x20 || s[i] >= 0x7F))
			return 0;
	}
	return 1;
}

/* Whether s[i..] is "EI" standing alone. */
static int
ei_at(const uint8_t *s, size_t n, size_t i)
{
	return i + 1 < n && s[i] == 'E' && s[i + 1] == 'I' &&
	       (i == 0 || is_ws(s[i - 1])) &&
	       (i + 2 == n || is_ws(s[i + 2]) || is_delim(s[i + 2]));
}

/* The length of unfiltered image data (§8.9.3: rows padded to whole
 * bytes), or 0 when it cannot be known. */
static size_t
image_size(int64_t w, int64_t h, int64_t comps, int64_t bpc)
{
	if (w <= 0 || w > BI_MAX_SIDE || h <= 0 || h > BI_MAX_SIDE ||
	    comps <= 0 || comps > 4 || bpc <= 0 || bpc > 16)
		return 0;
	return ((size_t)w * (size_t)comps * (size_t)bpc + 7) / 8 * (size_t)h;
}

/*
 * Reads an inline image's dictionary from after BI through ID and finds
 * the end of its data: *end is the number of bytes from the lexer's
 * position (after ID) through EI. Returns 0, or -1 when there is no end
 * (*nomem set when memory ran out).
 */
static int
image_end(struct pdf_lex *lx, size_t *end, int *nomem)
{
	struct pdf_tok tok;
	struct diag sd;
	struct pdf_obj *o;
	struct rd tmp;
	const uint8_t *s = NULL;
	const char *key = NULL, *v;
	int64_t w = -1, h = -1, bpc = -1, comps = -1, l = -1;
	int filtered = 0, found = 0, got = 0;
	size_t n, i, start = 0, size = 0;

	diag_clear(&sd);
	for (i = 0; i < BI_MAX_TOKENS && !got; i++) {
		if (pdf_lex_next(lx, &tok, &sd) != TTE_OK ||
		    tok.kind == PDF_TOK_EOF)
			break;
		if (kw_is(&tok, "ID")) {
			got = 1;
		} else if (tok.kind == PDF_TOK_ARRAY_OPEN ||
			   tok.kind == PDF_TOK_DICT_OPEN) {
			lx->r.off = tok.off;
			if (pdf_parse_obj(lx, &o, &sd) != TTE_OK)
				break;
			if (key != NULL && (!strcmp(key, "F") ||
					    !strcmp(key, "Filter")))
				filtered = o->kind != PDF_ARRAY || o->u.a.n > 0;
			/* [/Indexed base hival lookup]: one index a pixel. */
			if (key != NULL && (!strcmp(key, "CS") ||
					    !strcmp(key, "ColorSpace")) &&
			    o->kind == PDF_ARRAY && o->u.a.n > 0 &&
			    (pdf_name_is(o->u.a.v[0], "I") ||
			     pdf_name_is(o->u.a.v[0], "Indexed")))
				comps = 1;
			key = NULL;
		} else if (key == NULL) {
			key = tok.kind == PDF_TOK_NAME ? (const char *)tok.p :
							 NULL;
		} else {
			v = tok.kind == PDF_TOK_NAME ? (const char *)tok.p : "";
			if (tok.kind == PDF_TOK_INT && (!strcmp(key, "W") ||
							!strcmp(key, "Width")))
				w = tok.i;
			else if (tok.kind == PDF_TOK_INT &&
				 (!strcmp(key, "H") || !strcmp(key, "Height")))
				h = tok.i;
			else if (tok.kind == PDF_TOK_INT &&
				 (!strcmp(key, "BPC") ||
				  !strcmp(key, "BitsPerComponent")))
				bpc = tok.i;
			else if (tok.kind == PDF_TOK_INT &&
				 (!strcmp(key, "L") || !strcmp(key, "Length")))
				l = tok.i;
			else if (!strcmp(key, "F") || !strcmp(key, "Filter"))
				filtered = 1;
			else if ((!strcmp(key, "IM") ||
				  !strcmp(key, "ImageMask")) &&
				 kw_is(&tok, "true"))
				comps = bpc = 1;
			else if (!strcmp(key, "CS") ||
				 !strcmp(key, "ColorSpace"))
				comps = !strcmp(v, "G") ||
						!strcmp(v, "DeviceGray") ?
						1 :
					!strcmp(v, "RGB") ||
						!strcmp(v, "DeviceRGB") ?
						3 :
					!strcmp(v, "CMYK") ||
						!strcmp(v, "DeviceCMYK") ?
						4 :
						-1;
			key = NULL;
		}
	}
	*nomem = sd.code == TTE_E_NOMEM;
	tmp = lx->r;
	n = rd_left(&tmp);
	if (!got || n == 0 || rd_bytes(&tmp, n, &s, NULL) != TTE_OK)
		return -1;
	if (is_ws(s[0]))
		start = 1; /* the one white-space byte after ID */
	if (l >= 0 && (uint64_t)l <= n - start) {
		size = (size_t)l;
		found = 1;
	} else if (!filtered) {
		size = image_size(w, h, comps, bpc);
		found = size > 0 && size <= n - start;
	}
	if (found) {
		for (i = start + size; i < n && is_ws(s[i]); i++)
			;
		found = ei_at(s, n, i);
	}
	for (size_t j = start; !found && j < n; j++) {
		if (ei_at(s, n, j) && looks_like_content(s + j + 2, n - j - 2)) {
			found = 1;
			i = j;
		}
	}
	if (!found)
		return -1;
	*end = i + 2;
	return 0;
}

/*
 * Skips an inline image (§8.9.7) after its BI: the dictionary up to ID,
 * one white-space byte, the data and EI. The data's length is computed
 * when the image is unfiltered (or says /L), and EI is looked for there
 * first; otherwise the first EI between white space that is followed by
 * what looks like content ends it (pdf.js and MuPDF do much the same).
 * An image without an end takes the rest of the stream with it.
 */
static tte_err
skip_image(struct tx *t, struct pdf_lex *lx)
{
	size_t end = 0;
	int nomem = 0;
	tte_err rc = TTE_OK;

	if (image_end(lx, &end, &nomem) == 0) {
		TRY(rd_skip(&lx->r, end, t->d));
		goto out;
	}
	ENSURE(!nomem, TTE_E_NOMEM, t->d, "inline image");
	problem(t, "an inline image has no end (EI)");
	t->st->undecodable++;
	lx->r.off = lx->r.len;
out:
	return rc;
}

/* ---- The interpreter ------------------------------------------------- */

static tte_err run(struct tx *t, const uint8_t *data, size_t len,
		   const struct pdf_obj *res);

/* The last k operands as numbers into v; -1 when they are not. */
static int
nums(const struct opnd *o, size_t n, size_t k, double *v)
{
	if (n < k)
		return -1;
	for (size_t i = 0; i < k; i++) {
		const struct opnd *x = &o[n - k + i];

		if (x->kind != PDF_TOK_INT && x->kind != PDF_TOK_REAL)
			return -1;
		v[i] = x->num;
	}
	return 0;
}

/* Paints form XObject `name` of res (§8.10): its content with its own
 * resources (else the caller's) under its /Matrix. */
static tte_err
paint_form(struct tx *t, const struct pdf_obj *res, const char *name)
{
	const struct pdf_obj *xd = get(t, res, "XObject");
	struct pdf_obj *raw = pdf_dict_get(xd, name);
	const struct pdf_obj *fres, *mx;
	struct form *f;
	struct gstate gs;
	double tm[6], tlm[6], m[6];
	size_t sp, lost, und;
	int ops, ok;
	tte_err rc = TTE_OK;

	if (raw == NULL || raw->kind != PDF_REF || raw->u.ref.num == 0)
		goto out; /* nothing there: nothing painted */
	f = map_get(&t->forms, raw->u.ref.num);
	if (f == NULL) {
		f = arena_alloc(t->pd->a, sizeof(*f));
		ENSURE(f != NULL, TTE_E_NOMEM, t->d, "form");
		f->obj = resolve(t, raw);
		f->skip = f->obj == NULL || f->obj->kind != PDF_STREAM ||
			  !pdf_name_is(get(t, f->obj, "Subtype"), "Form");
		ENSURE(!t->nomem &&
			       map_put(&t->forms, raw->u.ref.num, f) == 0,
		       TTE_E_NOMEM, t->d, "form");
	}
	if (f->skip || f->textless)
		goto out;
	if (f->active) {
		problem(t, "form XObject %u paints itself",
			(unsigned)raw->u.ref.num);
		t->st->undecodable++;
		goto out;
	}
	if (t->xdepth >= PDF_TEXT_MAX_XOBJ_DEPTH) {
		problem(t, "form XObjects nested more than %d deep",
			PDF_TEXT_MAX_XOBJ_DEPTH);
		t->st->undecodable++;
		goto out;
	}
	if (f->data == NULL && !f->broken) {
		f->data = stream_data(t, f->obj, &f->len);
		f->broken = f->data == NULL;
	}
	if (f->broken) {
		t->st->undecodable++;
		goto out;
	}
	gs = t->gs;
	sp = t->sp;
	lost = t->lost;
	memcpy(tm, t->tm, sizeof(tm));
	memcpy(tlm, t->tlm, sizeof(tlm));
	mx = get(t, f->obj, "Matrix");
	ok = mx != NULL && mx->kind == PDF_ARRAY && mx->u.a.n == 6;
	for (size_t i = 0; ok && i < 6; i++)
		ok = num_of(mx->u.a.v[i], &m[i]) == 0;
	if (ok)
		mat_mul(m, t->gs.ctm, t->gs.ctm);
	fres = get(t, f->obj, "Resources");
	ops = t->st->text_ops;
	und = t->st->undecodable;
	f->active = 1;
	t->xdepth++;
	rc = run(t, f->data, f->len, fres != NULL ? fres : res);
	t->xdepth--;
	f->active = 0;
	t->gs = gs;
	t->sp = sp;
	t->lost = lost;
	memcpy(t->tm, tm, sizeof(tm));
	memcpy(t->tlm, tlm, sizeof(tlm));
	/* No text now means no text ever: fonts only change what text
	 * says, not whether there is some. */
	if (rc == TTE_OK && ops == t->st->text_ops &&
	    und == t->st->undecodable)
		f->textless = 1;
out:
	return rc;
}

/* An operator of one or two bytes as one number, for a switch. */
#define OP2(a, b)                                                              \
	((unsigned)(unsigned char)(a) | (unsigned)(unsigned char)(b) << 8)

/* Shows the string operand of Tj, ' and " (§9.4.2, Table 107). */
static tte_err
show_op(struct tx *t, unsigned key, const struct opnd *o, size_t n)
{
	double v[2];
	tte_err rc = TTE_OK;

	if (n < 1 || o[n - 1].kind != PDF_TOK_STRING)
		goto out;
	if (key == OP2('"', 0) && nums(o, n - 1, 2, v) == 0) {
		t->gs.tw = v[0];
		t->gs.tc = v[1];
	}
	if (key != OP2('T', 'j'))
		next_line(t, 0, -t->gs.tl);
	t->st->text_ops++;
	TRY(show(t, o[n - 1].p, o[n - 1].len, 1));
out:
	return rc;
}

/* TJ (§9.4.3): strings, and numbers that move back in thousandths of
 * an em. */
static tte_err
show_array(struct tx *t, const struct opnd *o, size_t n)
{
	const struct pdf_obj *a = n > 0 ? o[n - 1].obj : NULL;
	int first = 1;
	double v, d;
	tte_err rc = TTE_OK;

	if (a == NULL || a->kind != PDF_ARRAY)
		goto out;
	t->st->text_ops++;
	for (size_t i = 0; i < a->u.a.n; i++) {
		const struct pdf_obj *e = a->u.a.v[i];

		if (e->kind == PDF_STRING) {
			TRY(show(t, e->u.s.p, e->u.s.len, first));
			first = 0;
			continue;
		}
		if (num_of(e, &v) != 0)
			continue;
		if (v < -PDF_TEXT_TJ_SPACE && t->pending == BRK_NONE)
			t->pending = BRK_SPACE;
		d = -v / 1000 * t->gs.fs;
		if (t->gs.font != NULL && t->gs.font->vertical)
			advance(t, 0, d);
		else
			advance(t, d * t->gs.th, 0);
	}
out:
	return rc;
}

/* Runs one operator with its operands o[0..n). Names from the lexer are
 * NUL-terminated (arena copies). */
static tte_err
op(struct tx *t, struct pdf_lex *lx, const struct pdf_tok *k,
   const struct opnd *o, size_t n, const struct pdf_obj *res)
{
	double v[6];
	unsigned key;
	tte_err rc = TTE_OK;

	if (k->len > 2)
		goto out; /* no operator we run is longer */
	key = OP2(k->p[0], k->len == 2 ? k->p[1] : 0);
	switch (key) {
	case OP2('B', 'T'):
		memcpy(t->tm, identity, sizeof(t->tm));
		memcpy(t->tlm, identity, sizeof(t->tlm));
		break;
	case OP2('T', 'f'):
		if (n < 2 || o[n - 2].kind != PDF_TOK_NAME ||
		    nums(o, n, 1, v) != 0)
			break;
		TRY(font_get(t, res, (const char *)o[n - 2].p, &t->gs.font));
		t->gs.fs = v[0];
		break;
	case OP2('T', 'c'):
		if (nums(o, n, 1, v) == 0)
			t->gs.tc = v[0];
		break;
	case OP2('T', 'w'):
		if (nums(o, n, 1, v) == 0)
			t->gs.tw = v[0];
		break;
	case OP2('T', 'z'):
		if (nums(o, n, 1, v) == 0)
			t->gs.th = v[0] / 100;
		break;
	case OP2('T', 'L'):
		if (nums(o, n, 1, v) == 0)
			t->gs.tl = v[0];
		break;
	case OP2('T', 'd'):
		if (nums(o, n, 2, v) == 0)
			next_line(t, v[0], v[1]);
		break;
	case OP2('T', 'D'):
		if (nums(o, n, 2, v) == 0) {
			t->gs.tl = -v[1];
			next_line(t, v[0], v[1]);
		}
		break;
	case OP2('T', 'm'):
		if (nums(o, n, 6, v) == 0) {
			memcpy(t->tm, v, sizeof(t->tm));
			memcpy(t->tlm, v, sizeof(t->tlm));
		}
		break;
	case OP2('T', '*'):
		next_line(t, 0, -t->gs.tl);
		break;
	case OP2('T', 'j'):
	case OP2('\'', 0):
	case OP2('"', 0):
		TRY(show_op(t, key, o, n));
		break;
	case OP2('T', 'J'):
		TRY(show_array(t, o, n));
		break;
	case OP2('q', 0):
		if (t->sp < PDF_TEXT_MAX_GSTACK)
			t->stack[t->sp++] = t->gs;
		else
			t->lost++;
		break;
	case OP2('Q', 0):
		if (t->lost > 0)
			t->lost--;
		else if (t->sp > 0)
			t->gs = t->stack[--t->sp];
		break;
	case OP2('c', 'm'):
		if (nums(o, n, 6, v) == 0)
			mat_mul(v, t->gs.ctm, t->gs.ctm);
		break;
	case OP2('D', 'o'):
		if (n > 0 && o[n - 1].kind == PDF_TOK_NAME)
			TRY(paint_form(t, res, (const char *)o[n - 1].p));
		break;
	case OP2('B', 'I'):
		TRY(skip_image(t, lx));
		break;
	default:
		break; /* any other operator: not about text */
	}
out:
	return rc;
}

/*
 * Runs a content stream: tokens become operands until an operator comes.
 * A byte the lexer refuses is skipped (as viewers do) up to
 * LEX_MAX_ERRORS times (see lex_refused); then the rest of the stream
 * counts as unknown.
 */
static tte_err
run(struct tx *t, const uint8_t *data, size_t len, const struct pdf_obj *res)
{
	struct pdf_lex lx;
	struct pdf_tok tok;
	struct opnd o[2 * OPND_MAX];
	struct pdf_obj *obj;
	struct diag sd;
	size_t n = 0, errs = 0;
	tte_err rc = TTE_OK, r2;

	ENSURE(len <= PDF_TEXT_MAX_CONTENT - t->content, TTE_E_TOO_BIG, t->d,
	       "more than %lu bytes of content streams",
	       (unsigned long)PDF_TEXT_MAX_CONTENT);
	t->content += len;
	diag_clear(&sd);
	pdf_lex_init(&lx, data, len, &t->scratch);
	for (;;) {
		r2 = pdf_lex_next(&lx, &tok, &sd);
		obj = NULL;
		if (r2 == TTE_OK && (tok.kind == PDF_TOK_ARRAY_OPEN ||
				     tok.kind == PDF_TOK_DICT_OPEN)) {
			lx.r.off = tok.off;
			r2 = pdf_parse_obj(&lx, &obj, &sd);
		}
		if (r2 != TTE_OK) {
			ENSURE(r2 != TTE_E_NOMEM, TTE_E_NOMEM, t->d,
			       "content stream");
			diag_clear(&sd);
			n = 0;
			/* An array or dictionary that did not parse may
			 * have read to the end. */
			if (lex_refused(&errs, tok.off, len,
					r2 != TTE_E_MALFORMED ||
						tok.kind == PDF_TOK_ARRAY_OPEN ||
						tok.kind == PDF_TOK_DICT_OPEN) !=
			    0) {
				problem(t, "content stream unreadable at "
					   "offset %zu",
					tok.off);
				t->st->undecodable++;
				break;
			}
			lx.r.off = tok.off + 1;
			continue;
		}
		if (tok.kind == PDF_TOK_EOF)
			break;
		if (tok.kind == PDF_TOK_KEYWORD && !kw_is(&tok, "true") &&
		    !kw_is(&tok, "false") && !kw_is(&tok, "null")) {
			ENSURE(++t->ops <= PDF_TEXT_MAX_OPS, TTE_E_TOO_BIG,
			       t->d, "more than %ld content operators",
			       PDF_TEXT_MAX_OPS);
			TRY(op(t, &lx, &tok, o, n, res));
			ENSURE(!t->nomem, TTE_E_NOMEM, t->d, "content");
			n = 0;
			continue;
		}
		if (tok.kind == PDF_TOK_ARRAY_CLOSE ||
		    tok.kind == PDF_TOK_DICT_CLOSE)
			continue; /* stray: ignored */
		/* Dropping one operand per token moved the whole array
		 * each time: 5 s for a content stream of 4 million numbers
		 * (fuzzing). Dropping OPND_MAX at once moves one a token. */
		if (n == 2 * OPND_MAX) {
			memmove(o, o + OPND_MAX, OPND_MAX * sizeof(o[0]));
			n = OPND_MAX;
		}
		o[n].kind = tok.kind;
		o[n].num = tok.kind == PDF_TOK_INT ? (double)tok.i : tok.r;
		o[n].p = tok.p;
		o[n].len = tok.len;
		o[n].obj = obj;
		n++;
	}
out:
	return rc;
}

/* ---- Pages ----------------------------------------------------------- */

static void
gs_reset(struct tx *t)
{
	memset(&t->gs, 0, sizeof(t->gs));
	memcpy(t->gs.ctm, identity, sizeof(t->gs.ctm));
	t->gs.th = 1;
	memcpy(t->tm, identity, sizeof(t->tm));
	memcpy(t->tlm, identity, sizeof(t->tlm));
	t->sp = t->lost = 0;
	t->xdepth = 0;
}

/* One page (§7.7.3.3): its /Contents, one stream or an array of them
 * read as one with a space between (§7.8.2). */
static tte_err
page(struct tx *t, const struct pdf_obj *pg, const struct pdf_obj *res)
{
	const struct pdf_obj *c = get(t, pg, "Contents");
	const uint8_t *one = NULL, **ps;
	uint8_t *buf;
	size_t len = 0, total = 0, count, parts = 0, *ls;
	tte_err rc = TTE_OK;

	t->st->pages++;
	ENSURE(t->st->pages <= PDF_TEXT_MAX_PAGES, TTE_E_TOO_BIG, t->d,
	       "more than %d pages", PDF_TEXT_MAX_PAGES);
	if (t->st->pages > 1)
		TRY(put(t, "\f", 1)); /* one per page break, text or not */
	t->pending = BRK_NONE;
	t->have_last = 0;
	t->slack = 0;
	gs_reset(t);
	if (c == NULL)
		goto out;
	if (c->kind == PDF_STREAM) {
		one = stream_data(t, c, &len);
		if (one == NULL)
			t->st->undecodable++;
		else
			TRY(run(t, one, len, res));
		goto out;
	}
	if (c->kind != PDF_ARRAY) {
		problem(t, "page /Contents is neither a stream nor an array");
		t->st->undecodable++;
		goto out;
	}
	/* Decode every part first, then join them. */
	count = c->u.a.n;
	ps = arena_alloc(&t->scratch, (count + 1) * sizeof(*ps));
	ls = arena_alloc(&t->scratch, (count + 1) * sizeof(*ls));
	ENSURE(ps != NULL && ls != NULL, TTE_E_NOMEM, t->d, "page");
	for (size_t i = 0; i < count; i++) {
		const struct pdf_obj *s = resolve(t, c->u.a.v[i]);

		ps[i] = NULL;
		if (s == NULL || s->kind != PDF_STREAM) {
			t->st->undecodable++;
			continue;
		}
		ps[i] = stream_data(t, s, &ls[i]);
		if (ps[i] == NULL) {
			t->st->undecodable++;
			continue;
		}
		/* Parts may repeat one stream (decoded once, see
		 * stream_data): what run() would refuse is refused before
		 * it is joined. */
		ENSURE(ls[i] < PDF_TEXT_MAX_CONTENT - t->content - total,
		       TTE_E_TOO_BIG, t->d,
		       "more than %lu bytes of content streams",
		       (unsigned long)PDF_TEXT_MAX_CONTENT);
		total += ls[i] + 1;
		parts++;
	}
	ENSURE(!t->nomem, TTE_E_NOMEM, t->d, "page");
	if (parts == 0)
		goto out;
	buf = arena_alloc(&t->scratch, total + 1);
	ENSURE(buf != NULL, TTE_E_NOMEM, t->d, "page content");
	for (size_t i = 0; i < count; i++) {
		if (ps[i] == NULL)
			continue;
		memcpy(buf + len, ps[i], ls[i]);
		len += ls[i];
		buf[len++] = ' ';
	}
	TRY(run(t, buf, len, res));
out:
	arena_release(&t->scratch);
	arena_init(&t->scratch);
	return rc;
}

/* A page tree node (§7.7.3.2): walks /Kids in order, passing /Resources
 * down (§7.7.3.4), with a visited set and a depth bound. */
static tte_err
walk(struct tx *t, struct pdf_obj *node, const struct pdf_obj *res,
     int depth)
{
	const struct pdf_obj *dict, *r, *type, *kids;
	tte_err rc = TTE_OK;

	ENSURE(!t->nomem, TTE_E_NOMEM, t->d, "page tree");
	if (depth > PDF_TEXT_MAX_TREE_DEPTH) {
		problem(t, "page tree deeper than %d",
			PDF_TEXT_MAX_TREE_DEPTH);
		t->st->undecodable++;
		goto out;
	}
	if (node->kind == PDF_REF) {
		if (map_get(&t->nodes, node->u.ref.num) != NULL) {
			problem(t, "page tree node %u is met twice",
				(unsigned)node->u.ref.num);
			goto out;
		}
		ENSURE(node->u.ref.num != 0 &&
			       map_put(&t->nodes, node->u.ref.num, t) == 0,
		       TTE_E_NOMEM, t->d, "page tree");
	}
	dict = resolve(t, node);
	if (dict == NULL || dict->kind != PDF_DICT) {
		problem(t, "a page tree node is not a dictionary");
		t->st->undecodable++;
		goto out;
	}
	r = get(t, dict, "Resources");
	if (r != NULL && r->kind == PDF_DICT)
		res = r;
	type = get(t, dict, "Type");
	kids = get(t, dict, "Kids");
	if (pdf_name_is(type, "Pages") ||
	    (!pdf_name_is(type, "Page") && kids != NULL &&
	     kids->kind == PDF_ARRAY)) {
		if (kids == NULL || kids->kind != PDF_ARRAY)
			goto out;
		for (size_t i = 0; i < kids->u.a.n; i++)
			TRY(walk(t, kids->u.a.v[i], res, depth + 1));
		goto out;
	}
	TRY(page(t, dict, res));
out:
	return rc;
}

/* see pdf_text.h */
tte_err
pdf_text_extract_stats(struct pdf_doc *pd, size_t rev, const char **out,
		       size_t *len, struct pdf_text_stats *st, struct diag *d)
{
	struct tx *t = NULL;
	struct pdf_obj *cat, *pages;
	char *text;
	tte_err rc = TTE_OK;

	*out = NULL;
	*len = 0;
	memset(st, 0, sizeof(*st));
	ENSURE(pd != NULL && rev < pd->n_secs, TTE_E_USAGE, d,
	       "revision %zu out of range", rev);
	/* The state holds the q stack: keep it off the C stack. */
	t = calloc(1, sizeof(*t));
	ENSURE(t != NULL, TTE_E_NOMEM, d, "text");
	t->pd = pd;
	t->rev = rev;
	t->d = d;
	t->st = st;
	arena_init(&t->scratch);
	diag_clear(&t->sd);
	t->unknown_font.kind = FONT_TYPE0;
	t->unknown_font.unknown = 1;
	cat = get(t, pd->secs[rev].trailer, "Root");
	ENSURE(!t->nomem, TTE_E_NOMEM, d, "catalog");
	ENSURE(cat != NULL && cat->kind == PDF_DICT, TTE_E_MALFORMED, d,
	       "revision %zu has no document catalog", rev);
	pages = pdf_dict_get(cat, "Pages");
	ENSURE(pages != NULL, TTE_E_MALFORMED, d,
	       "revision %zu has no page tree", rev);
	TRY(walk(t, pages, NULL, 0));
out:
	if (t != NULL && (rc == TTE_OK || rc == TTE_E_TOO_BIG)) {
		text = arena_strndup(pd->a, t->out != NULL ? t->out : "",
				     t->len);
		if (text == NULL) {
			rc = diag_set(d, TTE_E_NOMEM, __FILE__, __LINE__,
				      "text");
		} else {
			*out = text;
			*len = t->len;
		}
	}
	if (t != NULL) {
		free(t->out);
		map_free(&t->fonts);
		map_free(&t->cmaps);
		map_free(&t->streams);
		map_free(&t->cidfonts);
		map_free(&t->forms);
		map_free(&t->nodes);
		arena_release(&t->scratch);
		free(t);
	}
	return rc;
}

/* see pdf_text.h */
tte_err
pdf_text_extract(struct pdf_doc *pd, size_t rev, const char **out,
		 size_t *len, int *text_ops, struct diag *d)
{
	struct pdf_text_stats st;
	tte_err rc;

	rc = pdf_text_extract_stats(pd, rev, out, len, &st, d);
	*text_ops = st.text_ops;
	return rc;
}
