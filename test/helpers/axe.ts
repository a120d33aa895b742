/** axe-core (the engine of Lighthouse's accessibility audit) on a peer's page. */
import AxeBuilder from '@axe-core/playwright'
import type { Peer } from './browser'

/** WCAG 2.2 A and AA (touch target sizes among them) and axe's best practices. */
export const ALL_RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/**
 * Every violation on the page: rule, impact and where, one line each (readable in a failure).
 * `tags`: the rules checked; axe's default set without.
 */
export async function violations(peer: Peer, tags?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page: peer.page })
  const results = await (tags ? builder.withTags(tags) : builder).analyze()
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${node.target.join(' > ')}: ${node.failureSummary?.split('\n').slice(1).join(' ')}`),
  )
}
