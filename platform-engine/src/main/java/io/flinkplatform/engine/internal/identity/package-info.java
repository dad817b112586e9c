/**
 * The built-in store of users and API tokens ({@link io.flinkplatform.engine.access.Users}) and
 * logging in against it ({@link io.flinkplatform.engine.access.Authenticator}): Argon2id hashes of
 * passwords and token secrets through Spring Security's encoder, never a secret stored, logged or
 * audited.
 *
 * <p>It owns {@code t_user} and {@code t_api_token} (through the store; the built-in authorizer in
 * {@code access} reads them too). It may call {@code access} (to authorize and audit), {@code
 * store}, {@code common} and the public API; only the engine's entry point calls it.
 */
package io.flinkplatform.engine.internal.identity;
