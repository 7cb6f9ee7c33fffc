package futures.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One exact scenario, explored in every interleaving by Lincheck's model checker: callback A, an
 * internal waiter X and callback B are added (stack B -> X -> A); then one thread removes X (as
 * Futures.wait does when it returns) while another completes the future. The completer used to
 * reverse the detached stack in place while the unlinker could still write a stale B.next = A
 * into it, giving the cycle A -> X -> B -> A: callbacks ran forever. Random stress never hit this
 * window (see FutureListenerRaceTest); the model checker finds it at once.
 */
public class ListenerRemovalLincheck {
    private final Future<Integer> f = new Future<>();
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger ran = new AtomicInteger();
    private volatile Object waiter;

    @Operation
    public void addCallback() {
        added.incrementAndGet();
        f.addDoneCallback(x -> {
            if (ran.incrementAndGet() > added.get()) {
                throw new IllegalStateException("callback ran more often than added"); // logged; stops nothing
            }
        });
    }

    @Operation
    public void addWaiter() {
        waiter = f.addListener(() -> {});
    }

    @Operation
    public void removeWaiter() {
        f.removeListener(waiter);
    }

    @Operation
    public void setResult() {
        f.setResult(1);
    }

    @Validate
    public void eachCallbackRanOnce() {
        if (ran.get() != added.get()) {
            throw new AssertionError(ran.get() + " callback runs for " + added.get() + " callbacks");
        }
    }

    private static Actor actor(String name) {
        try {
            return new Actor(ListenerRemovalLincheck.class.getMethod(name), List.of());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("Added callables are called once each even when a waiter is removed while the future completes (every interleaving)")
    void removalRacingCompletion() {
        new ModelCheckingOptions()
                .iterations(0)
                .addCustomScenario(CustomScenarioDSLKt.scenario(s -> {
                    s.initial(t -> {
                        t.add(actor("addCallback"));
                        t.add(actor("addWaiter"));
                        t.add(actor("addCallback"));
                        return Unit.INSTANCE;
                    });
                    s.parallel(p -> {
                        p.thread(t -> {
                            t.add(actor("removeWaiter"));
                            return Unit.INSTANCE;
                        });
                        p.thread(t -> {
                            t.add(actor("setResult"));
                            return Unit.INSTANCE;
                        });
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                }))
                .invocationsPerIteration(1_500)
                .check(ListenerRemovalLincheck.class);
    }
}
