/**
 * Schedules and held runs: schedule and backfill definitions ({@link
 * io.flinkplatform.engine.internal.schedule.Schedules}, cron parsing in {@link
 * io.flinkplatform.engine.internal.schedule.Cron}), firing due schedules ({@link
 * io.flinkplatform.engine.internal.schedule.ScheduleLoop}, each schedule's decision in {@code
 * Firing}), admitting runs held in CREATED for max parallel and max active runs ({@link
 * io.flinkplatform.engine.internal.schedule.Admission}) and priority ageing of ready attempts
 * ({@link io.flinkplatform.engine.internal.schedule.PriorityAgeing}).
 *
 * <p>It owns the schedule and backfill tables' rows and when a run starts. It may call {@code
 * store}, {@code definition} (deployed versions), {@code progress} (to create and start runs),
 * {@code lease} (the database's clock), {@code alert} (misfire and skip alerts, in the firing
 * transaction) and {@code common}; runs it kills go through the kill function it is given. {@code
 * query} calls it for the schedule commands.
 */
package io.flinkplatform.engine.internal.schedule;
