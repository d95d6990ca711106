import 'reflect-metadata';
import { loadConfig, runService } from '@golden-loop/service-kit';
import { createPlanApp } from './app';
import { PlanConfig } from './config';

void runService('plan', createPlanApp, loadConfig(PlanConfig));
