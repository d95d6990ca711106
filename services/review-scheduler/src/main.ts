import 'reflect-metadata';
import { loadConfig, runService } from '@golden-loop/service-kit';
import { createReviewApp } from './app';
import { ReviewConfig } from './config';

void runService('review-scheduler', createReviewApp, loadConfig(ReviewConfig));
