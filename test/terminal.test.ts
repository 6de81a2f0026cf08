import assert from "node:assert/strict";
import { COLOURED, PLAIN, Progress, fit, money, styleFor, wrap } from "../tools/terminal";

describe("the plan's terminal output", function () {
    it("colours only a terminal, and NO_COLOR / FORCE_COLOR override", function () {
        assert.equal(styleFor({ isTTY: true }, {}), COLOURED);
        assert.equal(styleFor({ isTTY: false }, {}), PLAIN);
        assert.equal(styleFor({}, {}), PLAIN);
        assert.equal(styleFor({ isTTY: true }, { NO_COLOR: "1" }), PLAIN);
        assert.equal(styleFor({ isTTY: false }, { FORCE_COLOR: "1" }), COLOURED);
        assert.equal(COLOURED.red("x"), "\x1b[31mx\x1b[39m");
        assert.equal(PLAIN.red("x"), "x");
    });

    it("cuts and wraps to the width", function () {
        assert.equal(fit("abcdef", 4), "abc…");
        assert.equal(fit("abc", 4), "abc");
        assert.deepEqual(wrap("one two three four", "  ", 10), ["  one two", "  three", "  four"]);
        assert.equal(money(1234.5), "$1,234.50");
    });

    it("draws a progress line on a terminal and clears it when done; writes nothing elsewhere", function () {
        const written: string[] = [];
        const terminal = { isTTY: true, columns: 80, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
        const progress = new Progress(terminal);
        progress.update("Synthesizing prod");
        progress.done();
        assert.match(written[0], /^\r\x1b\[2KSynthesizing prod \(\d+\.\d s\)$/);
        assert.equal(written.at(-1), "\r\x1b[2K");

        const piped: string[] = [];
        const pipe = { isTTY: false, write: (text: string) => piped.push(text) } as unknown as NodeJS.WriteStream;
        const quiet = new Progress(pipe);
        quiet.update("Synthesizing prod");
        quiet.done();
        assert.deepEqual(piped, []);
    });
});
