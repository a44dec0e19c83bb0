import type { Finding, Severity } from '../../types.js';
import type { AnalysisContext } from '../context.js';
import { lineAt, snippet } from '../context.js';
import type { Rule } from '../rule.js';

/** Code that defines tools for an AI agent: MCP servers, LangChain/OpenAI agent tools. */
const DEFINES_AGENT_TOOLS =
  /\bFastMCP\b|\bfrom\s+mcp\b|\bimport\s+mcp\b|@\w+\.tool\b|\b(?:server|mcp)\.(?:tool|registerTool|addTool)\s*\(|\bregisterTool\s*\(|ListToolsRequestSchema|\bMcpServer\b|@modelcontextprotocol\/sdk|\bStructuredTool\b|\bfunction_tool\b|\bfrom\s+langchain\S*\s+import\s+[^\n]*\btool\b/;

/** Text that speaks to the model instead of describing the tool, and hides it from the user. */
const INJECTION: { label: string; pattern: RegExp }[] = [
  {
    label: 'hidden instruction tag',
    pattern:
      /<\/?(?:IMPORTANT|SYSTEM[_ -]?[A-Z_]*|system[_-]?(?:prompt|directive|instruction)s?|HIDDEN|INSTRUCTIONS?|ADMIN)>/,
  },
  {
    label: 'overrides earlier instructions',
    pattern:
      /\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:previous|prior|above|earlier|other)\s+(?:instructions|rules|prompts)/i,
  },
  {
    label: 'keeps the user in the dark',
    pattern:
      /\b(?:do\s+not|don'?t|never)\s+(?:tell|mention|inform|notify|alert|reveal|show|explain)\b[^.\n]{0,40}\buser\b|\bwithout\s+(?:telling|informing|notifying|asking)\s+the\s+user\b|\buser\s+(?:must|should)\s+(?:not|never)\s+(?:know|see|notice|be\s+told)/i,
  },
  {
    label: 'demands a step before any tool use',
    pattern:
      /\b(?:before|prior\s+to)\s+(?:using|calling|invoking|running)\s+(?:this|any|other)\s+tools?\b[^.\n]{0,80}\b(?:must|MUST|required|mandatory|MANDATED)\b|\b(?:MANDATED|MANDATORY|NON-NEGOTIABLE|non-negotiable)\b[^\n]{0,80}\b(?:read|send|list|append|include|call)\b/,
  },
];

/** What the injected instruction asks the model to reach: files, secrets, other servers' data. */
const SENSITIVE_TARGET =
  /~\/\.ssh|\bid_rsa\b|\.ssh\/|\bapi[_ ]?keys?\b|\bcredentials?\b|\.env\b|mcp\.json|\.cursor\/|claude_desktop_config|\bpasswords?\b|\bprivate[_ ]keys?\b|\bseed phrase\b|\bmnemonic\b|\bwallet\b|\bcookies?\b|\btokens?\b|\bsecrets?\b|\bconversation history\b|\bread (?:the )?(?:content|contents|file)\b|\bsend (?:it|them|the)\b/i;

function candidates(ctx: AnalysisContext) {
  return ctx.files.filter(
    (f) =>
      (ctx.isPython(f.path) || ctx.isJavaScript(f.path) || /\.(?:ts|mts|cts)$/.test(f.path)) &&
      f.size < 2 * 1024 * 1024,
  );
}

/**
 * Tool poisoning: an MCP server (or other agent tool) whose description carries instructions
 * for the model — read ~/.ssh or API keys, pass them along, keep quiet about it. Agents read
 * every tool description, so merely installing and enabling the server plants the instruction.
 */
export const codeAgentPromptInjection: Rule = {
  meta: {
    id: 'code-agent-prompt-injection',
    severity: 'high',
    ecosystems: ['npm', 'pypi'],
    title: 'Agent tool description carries hidden instructions (tool poisoning)',
    description:
      'A file that defines MCP or other AI-agent tools has descriptions that address the model rather than describe the tool: hidden instruction tags (<IMPORTANT>, <SYSTEM…>), "ignore previous instructions", "do not tell the user", mandatory steps before any tool use. High when the instruction points at files, keys, credentials or other data; medium otherwise.',
    references: [
      'https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks',
      'https://modelcontextprotocol.io/specification/draft/server/tools#security-considerations',
      'https://owasp.org/www-project-top-10-for-large-language-model-applications/ (LLM01 prompt injection)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const file of candidates(ctx)) {
      const text = ctx.text(file.path);
      if (!text || !DEFINES_AGENT_TOOLS.test(text)) continue;
      const hits = INJECTION.map(({ label, pattern }) => {
        const m = pattern.exec(text);
        return m ? { label, index: m.index, match: m[0] } : undefined;
      }).filter((h) => h !== undefined);
      if (hits.length === 0) continue;
      const first = hits.sort((a, b) => a.index - b.index)[0];
      // the instruction's own neighbourhood, not the whole file, names what it is after
      const around = text.slice(Math.max(0, first.index - 400), first.index + 1200);
      const target = SENSITIVE_TARGET.exec(around)?.[0];
      const severity: Severity = target || hits.length >= 2 ? 'high' : 'medium';
      findings.push({
        rule: this.meta.id,
        severity,
        file: file.path,
        line: lineAt(text, first.index),
        message: `An agent tool defined here carries instructions for the model (${hits.map((h) => h.label).join(', ')})${target ? `, pointing it at ${target}` : ''}; any agent that enables this server reads them with every tool list, so the model may act on them without the user seeing.`,
        evidence: snippet(text.slice(first.index, first.index + 200).replace(/\s+/g, ' '), 160),
      });
    }
    return findings;
  },
};
