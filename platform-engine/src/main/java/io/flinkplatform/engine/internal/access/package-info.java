/**
 * Who may do what: the check of an actor's role for an action in a workspace ({@link
 * io.flinkplatform.engine.internal.access.Access}), grants between workspaces, the audit rows
 * written in the transaction of each change, and the built-in authorizer over the stored members.
 *
 * <p>It owns {@code t_workspace}, {@code t_member}, {@code t_grant} and {@code t_audit} (through
 * the store). It may call {@code store}, {@code common} and the public API; every package that
 * changes something on a caller's behalf calls it.
 */
package io.flinkplatform.engine.internal.access;
