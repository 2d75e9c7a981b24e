import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
import '@fontsource/noto-sans/latin-700.css';
import '@fontsource/noto-sans/latin-ext-400.css';
import '@fontsource/noto-sans/latin-ext-600.css';
import '@fontsource/noto-sans/latin-ext-700.css';
import '@fontsource/noto-sans/vietnamese-400.css';
import '@fontsource/noto-sans/vietnamese-600.css';
import '@fontsource/noto-sans/vietnamese-700.css';
import './app.css';

import { mount } from 'svelte';

import App from './App.svelte';
import { tauriBackend } from './lib/backend/tauri';

const target = document.getElementById('app');
if (target) mount(App, { target, props: { backend: tauriBackend } });
