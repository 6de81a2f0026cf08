/** What the plan's text output needs from a terminal: colour when there is one, a width, a progress line. */

/** The report is laid out for this many columns, whatever the terminal. */
export const REPORT_WIDTH = 100;

export interface Style {
    bold: (text: string) => string;
    red: (text: string) => string;
    yellow: (text: string) => string;
    green: (text: string) => string;
}

const same = (text: string) => text;
export const PLAIN: Style = { bold: same, red: same, yellow: same, green: same };

const sgr = (code: number, reset: number) => (text: string) => `\x1b[${code}m${text}\x1b[${reset}m`;
export const COLOURED: Style = { bold: sgr(1, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39) };

/** Colour on a terminal only, unless NO_COLOR (https://no-color.org) says otherwise or FORCE_COLOR asks for it. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") {
        return PLAIN;
    }
    if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") {
        return COLOURED;
    }
    return stream.isTTY === true ? COLOURED : PLAIN;
}

/** `text` cut to `width` characters, the cut marked with an ellipsis. */
export function fit(text: string, width = REPORT_WIDTH): string {
    return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Words of `text` in lines of at most `width` characters, each starting with `indent`. */
export function wrap(text: string, indent: string, width = REPORT_WIDTH): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/).filter(Boolean)) {
        if (line !== "" && indent.length + line.length + 1 + word.length > width) {
            lines.push(indent + line);
            line = "";
        }
        line = line === "" ? word : `${line} ${word}`;
    }
    if (line !== "") {
        lines.push(fit(indent + line, width));
    }
    return lines;
}

export function money(amount: number): string {
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * One line on a terminal's stderr saying what the plan is doing and for how long, rewritten in
 * place; nothing at all when stderr is not a terminal, so logs and pipes stay clean.
 */
export class Progress {
    private readonly started = Date.now();
    private step = "";
    private timer: NodeJS.Timeout | undefined;

    constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

    get active(): boolean {
        return this.stream.isTTY === true;
    }

    update(step: string): void {
        if (!this.active) {
            return;
        }
        this.step = step;
        this.draw();
        this.timer ??= setInterval(() => this.draw(), 250);
        this.timer.unref();
    }

    done(): void {
        if (this.timer !== undefined) {
            clearInterval(this.timer);
            this.timer = undefined;
        }
        if (this.active) {
            this.stream.write("\r\x1b[2K");
        }
    }

    private draw(): void {
        const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
        this.stream.write(`\r\x1b[2K${fit(`${this.step} (${seconds} s)`, Math.min(this.stream.columns || REPORT_WIDTH, REPORT_WIDTH) - 1)}`);
    }
}
