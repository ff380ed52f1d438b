import type { Config } from '../config.js';
import type { LarkApi } from '../lark/LarkApi.js';

/**
 * The Open API client on Node, or null in local mode. The SDK is loaded only when there are
 * credentials: it is about 60 MB of memory that local mode never needs.
 */
export async function nodeLarkApi(config: Config): Promise<LarkApi | null> {
  if (!config.LARK_APP_ID || !config.LARK_APP_SECRET) return null;
  const { SdkLarkApi } = await import('../lark/SdkLarkApi.js');
  return new SdkLarkApi({
    appId: config.LARK_APP_ID,
    appSecret: config.LARK_APP_SECRET,
    baseUrl: config.LARK_BASE_URL,
  });
}
