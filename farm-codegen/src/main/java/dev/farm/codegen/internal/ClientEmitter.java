package dev.farm.codegen.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The typed fetch client: a small runtime, then one async function per operation. */
final class ClientEmitter {

    private static final String INDENT = "    ";

    /** The runtime, emitted once: configuration, parameter serialisation, body encoders, the one request function. */
    static final String RUNTIME = """

            // ---------------------------------------------------------------------------------------------- client

            /** Where requests go and what every request carries; change the fields before the first call. */
            export const $client: {
                /** Prepended to every path, such as "http://127.0.0.1:8000"; "" sends requests to the page's origin. */
                baseUrl: string;
                /** Sent with every request, under the operation's own headers. */
                headers: Record<string, string>;
                /** The fetch to call; the global one when absent. */
                fetch?: typeof fetch;
            } = { baseUrl: "", headers: {} };

            /** Status codes 100-199, for a "1XX" response. */
            export type $1XX = 100 | 101 | 102 | 103 | 104 | 105 | 106 | 107 | 108 | 109 | 110 | 111 | 112 | 113 | 114 | 115 | 116 | 117 | 118 | 119 | 120 | 121 | 122 | 123 | 124 | 125 | 126 | 127 | 128 | 129 | 130 | 131 | 132 | 133 | 134 | 135 | 136 | 137 | 138 | 139 | 140 | 141 | 142 | 143 | 144 | 145 | 146 | 147 | 148 | 149 | 150 | 151 | 152 | 153 | 154 | 155 | 156 | 157 | 158 | 159 | 160 | 161 | 162 | 163 | 164 | 165 | 166 | 167 | 168 | 169 | 170 | 171 | 172 | 173 | 174 | 175 | 176 | 177 | 178 | 179 | 180 | 181 | 182 | 183 | 184 | 185 | 186 | 187 | 188 | 189 | 190 | 191 | 192 | 193 | 194 | 195 | 196 | 197 | 198 | 199;
            /** Status codes 200-299, for a "2XX" response. */
            export type $2XX = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 209 | 210 | 211 | 212 | 213 | 214 | 215 | 216 | 217 | 218 | 219 | 220 | 221 | 222 | 223 | 224 | 225 | 226 | 227 | 228 | 229 | 230 | 231 | 232 | 233 | 234 | 235 | 236 | 237 | 238 | 239 | 240 | 241 | 242 | 243 | 244 | 245 | 246 | 247 | 248 | 249 | 250 | 251 | 252 | 253 | 254 | 255 | 256 | 257 | 258 | 259 | 260 | 261 | 262 | 263 | 264 | 265 | 266 | 267 | 268 | 269 | 270 | 271 | 272 | 273 | 274 | 275 | 276 | 277 | 278 | 279 | 280 | 281 | 282 | 283 | 284 | 285 | 286 | 287 | 288 | 289 | 290 | 291 | 292 | 293 | 294 | 295 | 296 | 297 | 298 | 299;
            /** Status codes 300-399, for a "3XX" response. */
            export type $3XX = 300 | 301 | 302 | 303 | 304 | 305 | 306 | 307 | 308 | 309 | 310 | 311 | 312 | 313 | 314 | 315 | 316 | 317 | 318 | 319 | 320 | 321 | 322 | 323 | 324 | 325 | 326 | 327 | 328 | 329 | 330 | 331 | 332 | 333 | 334 | 335 | 336 | 337 | 338 | 339 | 340 | 341 | 342 | 343 | 344 | 345 | 346 | 347 | 348 | 349 | 350 | 351 | 352 | 353 | 354 | 355 | 356 | 357 | 358 | 359 | 360 | 361 | 362 | 363 | 364 | 365 | 366 | 367 | 368 | 369 | 370 | 371 | 372 | 373 | 374 | 375 | 376 | 377 | 378 | 379 | 380 | 381 | 382 | 383 | 384 | 385 | 386 | 387 | 388 | 389 | 390 | 391 | 392 | 393 | 394 | 395 | 396 | 397 | 398 | 399;
            /** Status codes 400-499, for a "4XX" response. */
            export type $4XX = 400 | 401 | 402 | 403 | 404 | 405 | 406 | 407 | 408 | 409 | 410 | 411 | 412 | 413 | 414 | 415 | 416 | 417 | 418 | 419 | 420 | 421 | 422 | 423 | 424 | 425 | 426 | 427 | 428 | 429 | 430 | 431 | 432 | 433 | 434 | 435 | 436 | 437 | 438 | 439 | 440 | 441 | 442 | 443 | 444 | 445 | 446 | 447 | 448 | 449 | 450 | 451 | 452 | 453 | 454 | 455 | 456 | 457 | 458 | 459 | 460 | 461 | 462 | 463 | 464 | 465 | 466 | 467 | 468 | 469 | 470 | 471 | 472 | 473 | 474 | 475 | 476 | 477 | 478 | 479 | 480 | 481 | 482 | 483 | 484 | 485 | 486 | 487 | 488 | 489 | 490 | 491 | 492 | 493 | 494 | 495 | 496 | 497 | 498 | 499;
            /** Status codes 500-599, for a "5XX" response. */
            export type $5XX = 500 | 501 | 502 | 503 | 504 | 505 | 506 | 507 | 508 | 509 | 510 | 511 | 512 | 513 | 514 | 515 | 516 | 517 | 518 | 519 | 520 | 521 | 522 | 523 | 524 | 525 | 526 | 527 | 528 | 529 | 530 | 531 | 532 | 533 | 534 | 535 | 536 | 537 | 538 | 539 | 540 | 541 | 542 | 543 | 544 | 545 | 546 | 547 | 548 | 549 | 550 | 551 | 552 | 553 | 554 | 555 | 556 | 557 | 558 | 559 | 560 | 561 | 562 | 563 | 564 | 565 | 566 | 567 | 568 | 569 | 570 | 571 | 572 | 573 | 574 | 575 | 576 | 577 | 578 | 579 | 580 | 581 | 582 | 583 | 584 | 585 | 586 | 587 | 588 | 589 | 590 | 591 | 592 | 593 | 594 | 595 | 596 | 597 | 598 | 599;

            type $Args = {
                path?: object;
                query?: object;
                headers?: object;
                cookies?: object;
                body?: unknown;
                contentType?: string;
            };

            /** What every operation function returns before its result is narrowed by status. */
            export type $Result = { status: number; data: unknown; response: Response };

            function $scalar(value: unknown): string {
                return value instanceof Date ? value.toISOString() : String(value);
            }

            /** style: form (explode), "form," (no explode), deepObject, spaceDelimited " ", pipeDelimited "|". */
            function $query(out: URLSearchParams, key: string, value: unknown, style: string): void {
                if (value === undefined) {
                    return;
                }
                if (Array.isArray(value)) {
                    if (style === "form") {
                        for (const item of value) out.append(key, $scalar(item));
                    } else if (style === "deepObject") {
                        value.forEach((item, i) => $nested(out, key + "[" + i + "]", item));
                    } else {
                        out.append(key, value.map($scalar).join(style === "form," ? "," : style));
                    }
                } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
                    if (style === "deepObject") {
                        for (const [k, v] of Object.entries(value)) $nested(out, key + "[" + k + "]", v);
                    } else if (style === "form") {
                        for (const [k, v] of Object.entries(value)) if (v !== undefined) out.append(k, $scalar(v));
                    } else {
                        out.append(key, Object.entries(value).flat().map($scalar).join(","));
                    }
                } else {
                    out.append(key, $scalar(value));
                }
            }

            /** a[b][c]=v for objects, a[0]=v for arrays inside them. */
            function $nested(out: URLSearchParams, key: string, value: unknown): void {
                if (value === undefined) {
                    return;
                }
                if (Array.isArray(value)) {
                    value.forEach((item, i) => $nested(out, key + "[" + i + "]", item));
                } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
                    for (const [k, v] of Object.entries(value)) $nested(out, key + "[" + k + "]", v);
                } else {
                    out.append(key, value === null ? "" : $scalar(value));
                }
            }

            function $form(body: unknown): URLSearchParams {
                const out = new URLSearchParams();
                for (const [k, v] of Object.entries(body ?? {})) {
                    if (Array.isArray(v) && v.every((item) => item === null || typeof item !== "object")) {
                        for (const item of v) out.append(k, $scalar(item));
                    } else {
                        $nested(out, k, v);
                    }
                }
                return out;
            }

            function $multipart(body: unknown): FormData {
                const out = new FormData();
                const add = (k: string, v: unknown): void => {
                    if (v === undefined) return;
                    if (v instanceof Blob) out.append(k, v);
                    else if (v !== null && typeof v === "object" && !(v instanceof Date)) out.append(k, JSON.stringify(v));
                    else out.append(k, v === null ? "" : $scalar(v));
                };
                for (const [k, v] of Object.entries(body ?? {})) {
                    if (Array.isArray(v)) for (const item of v) add(k, item);
                    else add(k, v);
                }
                return out;
            }

            function $encode(type: string, body: unknown): BodyInit {
                const t = type.toLowerCase();
                if (t === "application/json" || t.endsWith("+json") || t.startsWith("application/json;")) {
                    return JSON.stringify(body);
                }
                if (t.startsWith("application/x-www-form-urlencoded")) {
                    return $form(body);
                }
                if (t.startsWith("multipart/")) {
                    return $multipart(body);
                }
                if (typeof body === "string" || body instanceof Blob || body instanceof ArrayBuffer
                        || body instanceof FormData || body instanceof URLSearchParams || ArrayBuffer.isView(body)) {
                    return body as BodyInit;
                }
                return JSON.stringify(body);
            }

            async function $request(
                method: string,
                path: string,
                args: $Args,
                media: string | undefined,
                styles: Record<string, string> | undefined,
                init: RequestInit | undefined,
            ): Promise<$Result> {
                const values = (args.path ?? {}) as Record<string, unknown>;
                let url = $client.baseUrl + path.replace(/\\{([^}]+)\\}/g, (_, name: string) =>
                    encodeURIComponent($scalar(values[name])));
                const query = new URLSearchParams();
                for (const [k, v] of Object.entries(args.query ?? {})) $query(query, k, v, styles?.[k] ?? "form");
                const search = query.toString();
                if (search) url += (url.includes("?") ? "&" : "?") + search;
                const headers = new Headers($client.headers);
                new Headers(init?.headers).forEach((v, k) => headers.set(k, v));
                for (const [k, v] of Object.entries(args.headers ?? {})) {
                    if (v !== undefined && v !== null) headers.set(k, $scalar(v));
                }
                const cookies = Object.entries(args.cookies ?? {})
                    .filter(([, v]) => v !== undefined && v !== null)
                    .map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent($scalar(v)));
                if (cookies.length > 0) headers.append("Cookie", cookies.join("; "));
                let body: BodyInit | undefined;
                const type = args.contentType ?? media;
                if (args.body !== undefined && type !== undefined) {
                    body = $encode(type, args.body);
                    // fetch sets multipart's boundary itself.
                    if (!type.toLowerCase().startsWith("multipart/") && !headers.has("Content-Type")) {
                        headers.set("Content-Type", type);
                    }
                }
                const response = await ($client.fetch ?? fetch)(url, { ...init, method, headers, body });
                let data: unknown = undefined;
                const responseType = (response.headers.get("Content-Type") ?? "").toLowerCase();
                if (method === "HEAD" || response.status === 204 || response.status === 205 || response.status === 304) {
                    data = undefined;
                } else if (responseType.includes("json")) {
                    const text = await response.text();
                    data = text === "" ? undefined : JSON.parse(text);
                } else if (responseType.startsWith("text/") || responseType.includes("xml")
                        || responseType.includes("x-www-form-urlencoded")) {
                    data = await response.text();
                } else {
                    data = await response.blob();
                }
                return { status: response.status, data, response };
            }
            """;

    private ClientEmitter() {}

    static void emit(StringBuilder out, List<TsEmitter.Op> ops, TsEmitter types) {
        out.append(RUNTIME);
        for (TsEmitter.Op op : ops) {
            function(out, op);
        }
    }

    private static void function(StringBuilder out, TsEmitter.Op op) {
        String ref = "Operations[\"" + op.fn() + "\"]";
        out.append('\n');
        TsNames.appendDoc(out, "", TsEmitter.opDoc(op));
        out.append("export async function ").append(op.fn()).append("(\n");
        out.append(INDENT).append("args: {");
        boolean argsRequired = false;
        StringBuilder styles = new StringBuilder();
        String[][] groups = {{"path", "path"}, {"query", "query"}, {"header", "headers"}, {"cookie", "cookies"}};
        int members = 0;
        for (String[] g : groups) {
            List<TsEmitter.Param> params = TsEmitter.group(op, g[0]);
            if (params.isEmpty()) {
                continue;
            }
            boolean required = params.stream().anyMatch(TsEmitter.Param::required);
            argsRequired |= required;
            out.append(members == 0 ? " " : "; ").append(g[1]).append(required ? ": " : "?: ");
            out.append(ref).append("[\"parameters\"][\"").append(g[0]).append("\"]");
            members++;
            if (g[0].equals("query")) {
                for (TsEmitter.Param p : params) {
                    String style = queryStyle(p);
                    if (!style.equals("form")) {
                        styles.append(styles.length() == 0 ? "{ " : ", ");
                        TsNames.appendString(styles, p.name());
                        styles.append(": ");
                        TsNames.appendString(styles, style);
                    }
                }
            }
        }
        TsEmitter.Body body = op.body();
        String media = null;
        if (body != null) {
            argsRequired |= body.required();
            media = body.media().get(0).type();
            if (body.media().size() == 1) {
                out.append(members == 0 ? " " : "; ").append(body.required() ? "body: " : "body?: ");
                out.append(ref).append("[\"requestBody\"][");
                TsNames.appendString(out, media);
                out.append(']');
                members++;
            }
        }
        out.append(members == 0 ? "}" : " }");
        if (body != null && body.media().size() > 1) {
            out.append(" & (");
            for (int i = 0; i < body.media().size(); i++) {
                String type = body.media().get(i).type();
                out.append(
                        i == 0
                                ? "\n" + INDENT.repeat(2) + "| { contentType?: "
                                : "\n" + INDENT.repeat(2) + "| { contentType: ");
                TsNames.appendString(out, type);
                out.append(body.required() ? "; body: " : "; body?: ");
                out.append(ref).append("[\"requestBody\"][");
                TsNames.appendString(out, type);
                out.append("] }");
            }
            out.append("\n" + INDENT + ")");
        }
        if (!argsRequired) {
            out.append(" = {}");
        }
        out.append(",\n");
        out.append(INDENT).append("init?: RequestInit,\n");
        out.append("): Promise<");
        StringBuilder result = new StringBuilder();
        resultType(result, op, ref);
        out.append(result);
        out.append("> {\n");
        out.append(INDENT).append("return $request(");
        TsNames.appendString(out, op.method().toUpperCase(Locale.ROOT));
        out.append(", ");
        TsNames.appendString(out, op.path());
        out.append(", args, ");
        if (media == null) {
            out.append("undefined");
        } else {
            TsNames.appendString(out, media);
        }
        out.append(", ")
                .append(styles.length() == 0 ? "undefined" : styles + " }")
                .append(", init) as Promise<");
        out.append(result);
        out.append(">;\n}\n");
    }

    private static String queryStyle(TsEmitter.Param p) {
        String style = p.node().path("style").asText("form");
        boolean explode = p.node().path("explode").asBoolean(style.equals("form"));
        return switch (style) {
            case "deepObject" -> "deepObject";
            case "spaceDelimited" -> " ";
            case "pipeDelimited" -> "|";
            default -> explode ? "form" : "form,";
        };
    }

    private static void resultType(StringBuilder out, TsEmitter.Op op, String ref) {
        if (op.responses().isEmpty()) {
            out.append("$Result");
            return;
        }
        int n = 0;
        for (TsEmitter.Resp r : op.responses()) {
            out.append("\n").append(INDENT).append("| { status: ");
            String s = r.status();
            String key;
            if (s.equals("default")) {
                out.append("number");
                key = "\"default\"";
            } else if (Character.isDigit(s.charAt(1))) {
                out.append(s);
                key = s;
            } else {
                String upper = s.toUpperCase(Locale.ROOT);
                out.append('$').append(upper);
                key = TsNames.string(upper);
            }
            out.append("; data: ");
            Set<String> data = new LinkedHashSet<>();
            for (TsEmitter.Media m : r.media()) {
                if (TsEmitter.isJson(m.type())) {
                    data.add(ref + "[\"responses\"][" + key + "][" + TsNames.string(m.type()) + "]");
                } else if (TsEmitter.isText(m.type())) {
                    data.add("string");
                } else {
                    data.add("Blob");
                }
            }
            if (data.isEmpty()) {
                data.add("undefined");
            }
            List<String> parts = new ArrayList<>(data);
            out.append(String.join(" | ", parts));
            out.append("; response: Response }");
            n++;
        }
        if (n > 0) {
            out.append('\n');
        }
    }
}
