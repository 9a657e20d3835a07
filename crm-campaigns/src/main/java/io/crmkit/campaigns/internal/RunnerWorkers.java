package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CampaignRunner.Workers}: threads that claim and send in a loop, waiting the poll interval
 * when a claim found nothing, until closed. Closing stops claims, lets sends in flight finish and
 * gives back what was claimed but not sent.
 */
final class RunnerWorkers implements CampaignRunner.Workers {
  private static final Logger log = LoggerFactory.getLogger(RunnerWorkers.class);
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();

  private RunnerWorkers() {}

  static RunnerWorkers start(SqlCampaignRunner runner, CampaignRunner.Settings settings) {
    RunnerWorkers workers = new RunnerWorkers();
    for (int i = 1; i <= settings.workers(); i++) {
      Thread thread = new Thread(() -> workers.loop(runner, settings), "crmkit-campaign-runner-" + i);
      thread.setDaemon(true);
      workers.threads.add(thread);
    }
    workers.threads.forEach(Thread::start);
    return workers;
  }

  private void loop(SqlCampaignRunner runner, CampaignRunner.Settings settings) {
    while (stop.getCount() > 0) {
      int handled;
      try {
        handled = runner.batch(settings.batchSize(), () -> stop.getCount() == 0);
      } catch (RuntimeException e) {
        // The database away, say: what was claimed comes back when its lease ends. Try again later.
        log.warn("campaign runner: claim failed, trying again in {}", settings.pollInterval(), e);
        handled = 0;
      }
      if (handled == 0) {
        try {
          stop.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    stop.countDown();
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean stopped() {
    return threads.stream().noneMatch(Thread::isAlive);
  }
}
