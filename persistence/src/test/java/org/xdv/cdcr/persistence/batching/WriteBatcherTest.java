package org.xdv.cdcr.persistence.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class WriteBatcherTest {

    @Test
    void firstRequestWritesAloneThenArrivalsWaitForTheWriteInFlight() {
        WriteBatcher<String> b = new WriteBatcher<>(10);
        assertThat(b.offer("a")).containsExactly("a");
        assertThat(b.inFlight()).isTrue();
        assertThat(b.generation()).isEqualTo(1);
        assertThat(b.offer("b")).isNull();
        assertThat(b.offer("c")).isNull();
        assertThat(b.queued()).isEqualTo(2);
        assertThat(b.written()).containsExactly("b", "c");
        assertThat(b.generation()).isEqualTo(2);
        assertThat(b.written()).isNull();
        assertThat(b.inFlight()).isFalse();
        assertThat(b.offer("d")).containsExactly("d");
    }

    @Test
    void batchesAreCappedAndKeepArrivalOrder() {
        WriteBatcher<Integer> b = new WriteBatcher<>(3);
        b.offer(0);
        for (int i = 1; i <= 7; i++) {
            assertThat(b.offer(i)).isNull();
        }
        assertThat(b.written()).isEqualTo(List.of(1, 2, 3));
        assertThat(b.written()).isEqualTo(List.of(4, 5, 6));
        assertThat(b.written()).isEqualTo(List.of(7));
        assertThat(b.written()).isNull();
        assertThat(b.generation()).isEqualTo(4);
    }

    @Test
    void refusesAnEmptyBatchSize() {
        assertThatThrownBy(() -> new WriteBatcher<>(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBatch must be >= 1, was 0");
    }
}
