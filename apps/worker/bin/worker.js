#!/usr/bin/env node
// Starts from the prebuilt bundle when it is up to date, else from source (scripts/launch.mjs).
import { launch } from '../../../scripts/launch.mjs';

await launch('worker');
