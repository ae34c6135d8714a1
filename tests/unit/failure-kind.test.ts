import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import mongoose from 'mongoose';
import { describeFailure, isCoordinatorLoading, isDependencyOutage } from '../../src/kafka/failure-kind';
import { DeadlineExceeded } from '../../src/domain/with-deadline';
import { freePort } from '../support/ports';

// The driver mongoose uses, so these are the very classes the store's errors are made of.
const { mongo } = mongoose;

/** A Node socket error as net and undici make them. */
function socketError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:27017`), { code, syscall: 'connect' });
}

/** How kafkajs makes a protocol error from the broker's error code (src/protocol/error.js). */
function protocolError(type: string, code: number, retriable: boolean, message: string) {
  return new KafkaJSProtocolError({ type, code, retriable, message } as never);
}

describe('telling a dependency outage from a message fault', () => {
  it('takes the MongoDB driver errors of an unreachable store as an outage, as the driver raises them', async () => {
    const url = `mongodb://127.0.0.1:${await freePort()}/nobody-here`;
    const client = new mongo.MongoClient(url, { serverSelectionTimeoutMS: 200 });
    const selection = await client.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    await client.close();
    expect((selection as Error).name).toBe('MongoServerSelectionError');
    expect(isDependencyOutage(selection)).toBe(true);

    const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS: 200 });
    const mongooseSelection = await connection.asPromise().then(
      () => undefined,
      (error: unknown) => error,
    );
    await connection.close();
    expect((mongooseSelection as Error).name).toBe('MongooseServerSelectionError');
    expect(isDependencyOutage(mongooseSelection)).toBe(true);
  });

  it.each([
    ['MongoNetworkError', new mongo.MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['MongoNetworkTimeoutError', new mongo.MongoNetworkTimeoutError('connection timed out')],
    ['MongoNotConnectedError', new mongo.MongoNotConnectedError('Client must be connected before running operations')],
    ['MongoTopologyClosedError', new mongo.MongoTopologyClosedError()],
    ['not primary (10107)', new mongo.MongoServerError({ code: 10107, errmsg: 'not primary' })],
    ['shutting down (91)', new mongo.MongoServerError({ code: 91, errmsg: 'The server is in quiesce mode' })],
    ['interrupted (11602)', new mongo.MongoServerError({ code: 11602, errmsg: 'operation was interrupted' })],
    ['time limit (50)', new mongo.MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' })],
    [
      'a RetryableWriteError label',
      new mongo.MongoServerError({ code: 1, errmsg: 'x', errorLabels: ['RetryableWriteError'] }),
    ],
    [
      'a bulk write cut short by the network',
      new mongo.MongoBulkWriteError(new mongo.MongoNetworkError('connection reset') as never, {} as never),
    ],
    [
      'mongoose with no connection',
      new mongoose.Error('Operation `transferevents.insertMany()` buffering timed out after 10000ms'),
    ],
    ['KafkaJSConnectionError', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')],
    ['KafkaJSRequestTimeoutError', new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')],
    [
      'kafkajs giving up on a retriable error',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: read ECONNRESET'), {
        retryCount: 5,
        retryTime: 10_000,
      }),
    ],
    [
      'a retriable broker error',
      protocolError('LEADER_NOT_AVAILABLE', 5, true, 'There is no leader for this topic-partition'),
    ],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['ETIMEDOUT', socketError('ETIMEDOUT')],
    ['EPIPE', socketError('EPIPE')],
    ['EHOSTUNREACH', socketError('EHOSTUNREACH')],
    ['fetch failing to connect', new TypeError('fetch failed', { cause: socketError('ECONNREFUSED') })],
    ['fetch timing out', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['our own deadline', new DeadlineExceeded('the store', 5_000)],
    ['a platform answering 503', Object.assign(new Error('Service Unavailable'), { status: 503 })],
    ['a platform rate-limiting', Object.assign(new Error('Too Many Requests'), { statusCode: 429 })],
  ])('%s is an outage', (_, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it.each([
    ['a key the store refuses', new mongo.MongoServerError({ code: 2, errmsg: 'invalid key: "$where"' })],
    [
      'a bulk write with a refused document',
      new mongo.MongoBulkWriteError(
        {
          message: 'invalid key: "$where"',
          code: 2,
          writeErrors: [{ index: 1, code: 2, errmsg: 'invalid key' }],
        } as never,
        {} as never,
      ),
    ],
    ['a duplicate key', new mongo.MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' })],
    ['a document too large', new mongo.BSON.BSONError('Document is larger than the maximum size 16777216')],
    ['an invalid argument', new mongo.MongoInvalidArgumentError('Argument "docs" must be an array of documents')],
    ['a validation error', new mongoose.Error.ValidationError()],
    ['a cast error', new mongoose.Error.CastError('Number', 'abc', 'offset')],
    ['a bug on one payload', new TypeError("Cannot read properties of undefined (reading 'name')")],
    ['a plain error', new Error('Slack answered chat.postMessage without a ts')],
    ['kafkajs refusing a message', new KafkaJSNonRetriableError('Invalid message without value for topic')],
    [
      'a message too large for the broker',
      new KafkaJSNumberOfRetriesExceeded(
        protocolError(
          'MESSAGE_TOO_LARGE',
          10,
          false,
          'The request included a message larger than the max message size',
        ),
        { retryCount: 0, retryTime: 300 },
      ),
    ],
    ['a platform refusing the request', Object.assign(new Error('Bad Request'), { status: 400 })],
    ['a Kafka protocol code that is a MongoDB outage code', Object.assign(new Error('x'), { code: 91 })],
    ['not an error at all', 'oops'],
    ['nothing', undefined],
  ])('%s is a message fault', (_, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });

  it('follows a chain of causes, but not forever', () => {
    const root = socketError('ECONNRESET');
    const wrapped = new Error('write failed', { cause: new Error('store write failed', { cause: root }) });
    expect(isDependencyOutage(wrapped)).toBe(true);

    const loop: Error & { cause?: unknown } = new Error('a');
    loop.cause = new Error('b', { cause: loop });
    expect(isDependencyOutage(loop)).toBe(false);
    // A generic KafkaJSError says it is retriable unless told otherwise.
    expect(isDependencyOutage(new KafkaJSError('something on the wire'))).toBe(true);
  });

  it('knows the broker loading its groups', () => {
    const loading = protocolError(
      'COORDINATOR_LOAD_IN_PROGRESS',
      14,
      true,
      "The coordinator is loading and hence can't process requests",
    );
    expect(isCoordinatorLoading(loading)).toBe(true);
    expect(isCoordinatorLoading(new KafkaJSNumberOfRetriesExceeded(loading, { retryCount: 5, retryTime: 1 }))).toBe(
      true,
    );
    expect(isCoordinatorLoading(new KafkaJSConnectionError('Connection error'))).toBe(false);
  });
});

describe('the reason a dead letter carries', () => {
  it('is the message on one line, without a stack or credentials, and of a sane length', () => {
    const error = new Error('failed against mongodb://iex:s3cret@db.internal:27017/iex\n  second line');
    const reason = describeFailure(error);
    expect(reason).toBe('failed against mongodb://***@db.internal:27017/iex second line');
    expect(reason).not.toContain('s3cret');
    expect(reason).not.toContain('at ');
    expect(describeFailure(new Error('Bearer abcdefgh12345 refused'))).toBe('Bearer *** refused');
    expect(describeFailure(new Error('x'.repeat(5_000)))).toHaveLength(500);
    expect(describeFailure('plain')).toBe('plain');
    expect(describeFailure({ code: 7 })).toBe('{"code":7}');
  });
});
