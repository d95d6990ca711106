import { Access, ProblemDetails } from '@golden-loop/http-api';
import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RULE_CHECKS } from '../../domain/rule-set';
import type { LoadedRuleSets } from '../../rule-sets/rule-set-loader';
import { RuleSetCatalog } from '../../rule-sets/rule-set-catalog';

const Integer = 'integer';

export class RuleView {
  @ApiProperty({ example: 'medicaid.assessment-within-30-days' }) id!: string;
  @ApiProperty({ enum: RULE_CHECKS, description: 'How it is evaluated: docs/payer-rules.md' }) check!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { windowDays: 30, warnDays: 7 } }) params!: Record<string, unknown>;
  @ApiProperty({ description: 'Where the rule comes from' }) source!: string;
  @ApiProperty({ enum: ['error', 'warning'], nullable: true, type: String, description: 'Overrides the level of its failing finding' }) severity!: string | null;
}

export class RuleSetView {
  @ApiProperty({ example: 'medicaid-standard' }) id!: string;
  @ApiProperty({ type: Integer }) version!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'sha-256 of the file in force' }) hash!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Payers mapped to it' }) payers!: string[];
  @ApiProperty({ description: 'Checks every payer not mapped to another set' }) isDefault!: boolean;
  @ApiProperty({ type: [RuleView] }) rules!: RuleView[];
}

export class RuleSetsView {
  @ApiProperty({ type: [RuleSetView] }) ruleSets!: RuleSetView[];
  @ApiProperty() defaultRuleSetId!: string;
}

export class ReloadView extends RuleSetsView {
  @ApiProperty({ type: Integer, description: 'Open plans whose rule set changed, scheduled for a re-check now' }) rechecksScheduled!: number;
}

const viewsOf = (loaded: LoadedRuleSets): RuleSetsView => ({
  defaultRuleSetId: loaded.defaultRuleSetId,
  ruleSets: [...loaded.ruleSets.values()].map((set) => ({
    id: set.id,
    version: set.version,
    title: set.title,
    hash: set.hash,
    isDefault: set.id === loaded.defaultRuleSetId,
    payers: [...loaded.payers].filter(([, id]) => id === set.id).map(([payer]) => payer),
    rules: set.rules.map((rule) => ({ id: rule.id, check: rule.check, params: { ...rule.params }, source: rule.source, severity: rule.severity ?? null })),
  })),
});

@ApiTags('rule sets')
@Access({ roles: ['billing', 'admin'] })
@Controller('rule-sets')
export class RuleSetsController {
  constructor(private readonly catalog: RuleSetCatalog) {}

  @Get()
  @ApiOperation({ summary: 'The payer rule sets in force, their rules with code and source, and which payers they check' })
  @ApiOkResponse({ type: RuleSetsView })
  list(): RuleSetsView {
    return viewsOf(this.catalog.current());
  }

  @Get(':ruleSetId')
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOkResponse({ type: RuleSetView })
  one(@Param('ruleSetId') ruleSetId: string): RuleSetView {
    const view = viewsOf(this.catalog.current()).ruleSets.find((set) => set.id === ruleSetId);
    if (!view) throw new NotFoundException('There is no rule set with this id.');
    return view;
  }

  @Post('reload')
  @HttpCode(200)
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: 'Read the rule-set files again; plans of changed sets (or moved payers) are re-checked. Bad files: 400, nothing changes' })
  @ApiOkResponse({ type: ReloadView })
  @ApiBadRequestResponse({ type: ProblemDetails, description: 'rule_sets_invalid: each problem names the file (and rule) and the reason' })
  async reload(): Promise<ReloadView> {
    const { loaded, rechecksScheduled } = await this.catalog.reload();
    return { ...viewsOf(loaded), rechecksScheduled };
  }
}
