import { GraphError, unsupportedQuery } from "./errors.js";

/**
 * The `$filter` subset that app registration needs: `eq`/`ne`, `in`, `startswith`, `and`/`or`/`not`,
 * parentheses, and `any` on string collections (`identifierUris/any(x:x eq '…')`). String
 * comparisons ignore case, as directory objects do. Properties a resource does not filter on are
 * refused with Graph's Request_UnsupportedQuery.
 */
export type FilterType = "string" | "boolean" | "collection";
export type FilterSchema = Record<string, FilterType>;
export type Predicate = (item: Record<string, unknown>) => boolean;

type Literal = string | boolean | number | null;
type Lexeme =
  | { kind: "string"; value: string }
  | { kind: "word"; value: string }
  | { kind: "number"; value: number }
  | { kind: "punct"; value: "(" | ")" | "," | ":" | "/" };

function syntaxError(filter: string, detail: string): GraphError {
  return new GraphError(400, "BadRequest", `Invalid filter clause: ${detail} in '${filter}'.`);
}

function lex(filter: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let index = 0;
  while (index < filter.length) {
    const char = filter[index]!;
    if (/\s/.test(char)) {
      index++;
    } else if (char === "'") {
      let value = "";
      index++;
      for (;;) {
        if (index >= filter.length) throw syntaxError(filter, "unterminated string literal");
        if (filter[index] === "'") {
          if (filter[index + 1] === "'") {
            value += "'";
            index += 2;
            continue;
          }
          index++;
          break;
        }
        value += filter[index++];
      }
      lexemes.push({ kind: "string", value });
    } else if ("(),:/".includes(char)) {
      lexemes.push({ kind: "punct", value: char as "(" });
      index++;
    } else {
      const word = filter.slice(index).match(/^[\w.-]+/)?.[0];
      if (!word) throw syntaxError(filter, `unexpected character '${char}' at position ${index}`);
      index += word.length;
      lexemes.push(
        /^-?\d+(\.\d+)?$/.test(word)
          ? { kind: "number", value: Number(word) }
          : { kind: "word", value: word },
      );
    }
  }
  return lexemes;
}

class Parser {
  private position = 0;

  constructor(
    private readonly lexemes: Lexeme[],
    private readonly filter: string,
    private readonly schema: FilterSchema,
    private readonly resource: string,
  ) {}

  parse(): Predicate {
    const predicate = this.or();
    if (this.position < this.lexemes.length) throw syntaxError(this.filter, "unexpected trailing input");
    return predicate;
  }

  private peek(): Lexeme | undefined {
    return this.lexemes[this.position];
  }

  private isWord(value: string): boolean {
    const next = this.peek();
    return next?.kind === "word" && next.value.toLowerCase() === value;
  }

  private expectPunct(value: string): void {
    const next = this.lexemes[this.position++];
    if (next?.kind !== "punct" || next.value !== value) throw syntaxError(this.filter, `expected '${value}'`);
  }

  private or(): Predicate {
    let left = this.and();
    while (this.isWord("or")) {
      this.position++;
      const [a, b] = [left, this.and()];
      left = (item) => a(item) || b(item);
    }
    return left;
  }

  private and(): Predicate {
    let left = this.unary();
    while (this.isWord("and")) {
      this.position++;
      const [a, b] = [left, this.unary()];
      left = (item) => a(item) && b(item);
    }
    return left;
  }

  private unary(): Predicate {
    if (this.isWord("not")) {
      this.position++;
      const inner = this.unary();
      return (item) => !inner(item);
    }
    const next = this.peek();
    if (next?.kind === "punct" && next.value === "(") {
      this.position++;
      const inner = this.or();
      this.expectPunct(")");
      return inner;
    }
    if (this.isWord("startswith")) {
      this.position++;
      this.expectPunct("(");
      const property = this.property("string");
      this.expectPunct(",");
      const prefix = this.literal();
      this.expectPunct(")");
      return (item) => startsWith(read(item, property), prefix);
    }
    return this.comparison();
  }

  private property(expected?: FilterType): string {
    const next = this.lexemes[this.position++];
    if (next?.kind !== "word") throw syntaxError(this.filter, "expected a property name");
    const name = Object.keys(this.schema).find((key) => key.toLowerCase() === next.value.toLowerCase());
    const type = name ? this.schema[name] : undefined;
    if (!name || (expected && type !== expected)) {
      throw unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${next.value}' of resource '${this.resource}'.`,
      );
    }
    return name;
  }

  private comparison(): Predicate {
    const propertyName = (this.peek() as { value?: string } | undefined)?.value ?? "";
    const property = this.property();
    const type = this.schema[property];
    const next = this.peek();
    if (next?.kind === "punct" && next.value === "/") {
      if (type !== "collection") throw this.unsupported(propertyName);
      return this.lambda(property);
    }
    if (type === "collection") throw this.unsupported(propertyName);
    const operator = this.lexemes[this.position++];
    if (operator?.kind !== "word") throw syntaxError(this.filter, "expected an operator");
    const op = operator.value.toLowerCase();
    if (op === "in") {
      this.expectPunct("(");
      const values = [this.literal()];
      while ((this.peek() as { value?: string })?.value === ",") {
        this.position++;
        values.push(this.literal());
      }
      this.expectPunct(")");
      return (item) => values.some((value) => equals(read(item, property), value));
    }
    const value = this.literal();
    if (op === "eq") return (item) => equals(read(item, property), value);
    if (op === "ne") return (item) => !equals(read(item, property), value);
    throw this.unsupported(propertyName);
  }

  private lambda(property: string): Predicate {
    this.expectPunct("/");
    const quantifier = this.lexemes[this.position++];
    if (quantifier?.kind !== "word" || !["any", "all"].includes(quantifier.value.toLowerCase())) {
      throw syntaxError(this.filter, "expected any or all");
    }
    this.expectPunct("(");
    const variable = this.lexemes[this.position++];
    if (variable?.kind !== "word") throw syntaxError(this.filter, "expected a lambda variable");
    this.expectPunct(":");
    let test: (element: unknown) => boolean;
    if (this.isWord("startswith")) {
      this.position++;
      this.expectPunct("(");
      this.variable(variable.value);
      this.expectPunct(",");
      const prefix = this.literal();
      this.expectPunct(")");
      test = (element) => startsWith(element, prefix);
    } else {
      this.variable(variable.value);
      if (!this.isWord("eq")) throw this.unsupported(property);
      this.position++;
      const value = this.literal();
      test = (element) => equals(element, value);
    }
    this.expectPunct(")");
    const any = quantifier.value.toLowerCase() === "any";
    return (item) => {
      const values = read(item, property);
      const list = Array.isArray(values) ? values : [];
      return any ? list.some(test) : list.every(test);
    };
  }

  private variable(name: string): void {
    const next = this.lexemes[this.position++];
    if (next?.kind !== "word" || next.value !== name) throw syntaxError(this.filter, `expected '${name}'`);
  }

  private literal(): Literal {
    const next = this.lexemes[this.position++];
    if (next?.kind === "string" || next?.kind === "number") return next.value;
    if (next?.kind === "word") {
      const word = next.value.toLowerCase();
      if (word === "true" || word === "false") return word === "true";
      if (word === "null") return null;
    }
    throw syntaxError(this.filter, "expected a literal");
  }

  private unsupported(property: string): GraphError {
    return unsupportedQuery(
      `Unsupported or invalid query filter clause specified for property '${property}' of resource '${this.resource}'.`,
    );
  }
}

function read(item: Record<string, unknown>, property: string): unknown {
  return item[property];
}

function equals(actual: unknown, expected: Literal): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof actual === "string" && typeof expected === "string")
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

function startsWith(actual: unknown, prefix: Literal): boolean {
  return (
    typeof actual === "string" &&
    typeof prefix === "string" &&
    actual.toLowerCase().startsWith(prefix.toLowerCase())
  );
}

/** Compiles a `$filter` expression against a resource's filterable properties. */
export function compileFilter(filter: string, schema: FilterSchema, resource: string): Predicate {
  return new Parser(lex(filter), filter, schema, resource).parse();
}
