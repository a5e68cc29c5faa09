// First: schemas read zod's CSP-safe setting when the contract builds them.
import './lib/zodConfig.js';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { createClient } from './lib/api.js';
import { applyThemePreference, readThemePreference } from './features/settings/theme.js';

// Before the first paint, so a dark theme never flashes white.
applyThemePreference(readThemePreference(localStorage), document.documentElement, null);

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

mount(App, { target, props: { api: createClient() } });
