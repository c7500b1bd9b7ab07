import { canonicalToLegacyRequest, canonicalToStepsRequest } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import {
  codeExecution,
  computerUse,
  fileSearch,
  googleMaps,
  googleSearch,
  urlContext,
} from '../src/index.ts';

describe('built-in tool helpers', () => {
  it('build the declarations the API documents', () => {
    expect(googleSearch()).toEqual({ type: 'google_search' });
    expect(googleSearch({ searchTypes: ['image_search'] })).toEqual({
      type: 'google_search',
      search_types: ['image_search'],
    });
    expect(codeExecution()).toEqual({ type: 'code_execution' });
    expect(urlContext()).toEqual({ type: 'url_context' });
    expect(fileSearch({ storeNames: ['fileSearchStores/a'], topK: 3 })).toEqual({
      type: 'file_search',
      file_search_store_names: ['fileSearchStores/a'],
      top_k: 3,
    });
    expect(googleMaps({ latitude: 1, longitude: 2 })).toEqual({
      type: 'google_maps',
      latitude: 1,
      longitude: 2,
    });
  });

  it('spells computer_use per revision: snake_case for steps, the seeds camelCase for legacy', () => {
    const tool = computerUse({ environment: 'browser', excludedPredefinedFunctions: ['drag_and_drop'] });
    const request = { model: 'gemini-2.5-computer-use-preview-10-2025', input: [], tools: [tool] };
    expect(canonicalToStepsRequest(request).tools).toEqual([
      { type: 'computer_use', environment: 'browser', excluded_predefined_functions: ['drag_and_drop'] },
    ]);
    expect(canonicalToLegacyRequest(request).tools).toEqual([
      { type: 'computer_use', environment: 'browser', excludedPredefinedFunctions: ['drag_and_drop'] },
    ]);
  });
});
