import type { webApi } from '@slack/bolt';
import type { ImageContent, Reply } from '../../src/chat/reply';
import type { Logger } from '../../src/config/logger';

/** Slack's limit on a file's alt text (files.getUploadURLExternal). */
const ALT_TEXT_MAX = 1000;

/** The pictures of a reply that Slack cannot show inline: those without a signed link to them. */
export function picturesToUpload(reply: Reply): ImageContent[] {
  return reply.blocks.flatMap((block) => (block.type === 'image' && !block.image.url ? [block.image] : []));
}

export interface PictureDestination {
  /** The conversation the command or click came from. */
  channelId: string;
  /** Who asked: an ephemeral reply's pictures go to them alone. */
  userId: string;
}

/**
 * Sends a reply's pictures as files, with Slack's upload flow (files.getUploadURLExternal → the
 * bytes to the upload URL → files.completeUploadExternal, which `filesUploadV2` runs).
 *
 * Slack cannot attach a file to an ephemeral response (the response_url takes no files, nor does
 * chat.postEphemeral), and an upload shared in the channel would show everyone what only the caller
 * was meant to see. So the pictures of an ephemeral reply go to the caller's direct messages with
 * the app; those of an in-channel reply go to its channel. Where the service is public (PUBLIC_URL),
 * the charts come with a signed link instead and the renderer shows them inline, with no upload.
 *
 * The reply itself has been answered already, with the numbers in words (the alt text): a picture
 * that cannot be sent (e.g. a workspace that did not grant files:write) is logged, not retried.
 */
export async function uploadPictures(
  client: webApi.WebClient,
  reply: Reply,
  destination: PictureDestination,
  logger: Logger,
): Promise<void> {
  const pictures = picturesToUpload(reply);
  if (pictures.length === 0) return;
  try {
    const channelId =
      reply.visibility === 'in_channel' ? destination.channelId : await directMessageWith(client, destination.userId);
    for (const picture of pictures) {
      await client.filesUploadV2({
        channel_id: channelId,
        file: picture.png,
        filename: picture.fileName,
        title: picture.fileName,
        alt_text: picture.alt.slice(0, ALT_TEXT_MAX),
      });
    }
  } catch (error) {
    logger.warn(
      { err: error, user: destination.userId, channel: destination.channelId, pictures: pictures.length },
      'could not upload the pictures of a Slack reply (needs the files:write and im:write scopes); the reply went without them',
    );
  }
}

/** The app's direct-message conversation with a person (opened if it was not yet). */
async function directMessageWith(client: webApi.WebClient, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error('conversations.open named no conversation');
  return id;
}
