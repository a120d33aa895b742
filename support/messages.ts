/**
 * Every message the interface shows, read from the code: each `msg()` call's id, its English text
 * and its placeholders (the expressions in a `str` template, numbered as the catalogs use them).
 * The catalog test compares each language's file with this; `npm run messages` lists what a
 * language still lacks.
 */
import ts from 'typescript'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

export interface SourceMessage {
  readonly id: string
  /** The English text, placeholders written `${0}`, `${1}`… */
  readonly text: string
  /** What each placeholder holds, as written in the code. */
  readonly placeholders: readonly string[]
  /** The translator's note (`desc`), if the code gives one. */
  readonly description: string | undefined
  /** file:line of the call. */
  readonly where: string
}

export class MessageError extends Error {}

const sourceFiles = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${join('i18n', 'locales')}`))
    .sort()

function textOf(node: ts.Expression, file: ts.SourceFile): { text: string; placeholders: string[] } {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { text: node.text, placeholders: [] }
  if (ts.isTaggedTemplateExpression(node) && node.tag.getText(file) === 'str') {
    const template = node.template
    if (ts.isNoSubstitutionTemplateLiteral(template)) return { text: template.text, placeholders: [] }
    let text = template.head.text
    const placeholders: string[] = []
    template.templateSpans.forEach((span, index) => {
      placeholders.push(span.expression.getText(file))
      text += `\${${index}}${span.literal.text}`
    })
    return { text, placeholders }
  }
  throw new MessageError(`msg() takes a string or a str\`\` template, not ${ts.SyntaxKind[node.kind]}`)
}

/** The messages of every .ts file under `root` (src/), in file order; throws on a msg() call the catalogs could not match. */
export function sourceMessages(root: string): SourceMessage[] {
  const messages: SourceMessage[] = []
  const seen = new Map<string, SourceMessage>()
  for (const path of sourceFiles(root)) {
    const code = readFileSync(path, 'utf8')
    if (!code.includes('msg(')) continue
    const file = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, true)
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'msg') {
        const where = `${relative(root, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
        const [template, options] = node.arguments
        if (!template || !options || !ts.isObjectLiteralExpression(options)) throw new MessageError(`${where}: msg() needs { id } as its second argument`)
        const property = (name: string) => {
          const found = options.properties.find((entry): entry is ts.PropertyAssignment => ts.isPropertyAssignment(entry) && entry.name.getText(file) === name)
          if (!found) return undefined
          if (!ts.isStringLiteral(found.initializer) && !ts.isNoSubstitutionTemplateLiteral(found.initializer)) throw new MessageError(`${where}: msg()'s ${name} must be a plain string`)
          return found.initializer.text
        }
        const id = property('id')
        if (!id) throw new MessageError(`${where}: msg() needs an id`)
        let parsed
        try {
          parsed = textOf(template, file)
        } catch (error) {
          throw new MessageError(`${where}: ${(error as Error).message}`)
        }
        const message = { id, ...parsed, description: property('desc'), where }
        const earlier = seen.get(id)
        if (earlier && (earlier.text !== message.text || earlier.placeholders.length !== message.placeholders.length)) {
          throw new MessageError(`${where}: id ${id} is also used at ${earlier.where} for another text`)
        }
        if (!earlier) {
          seen.set(id, message)
          messages.push(message)
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(file)
  }
  return messages
}
