using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>The re-ordering and gap detection of one room or inbox on a front, on a fake clock.</summary>
public sealed class MessageSequencerTests : IDisposable
{
    private static readonly SequencerTiming Timing = new(
        GapWait: TimeSpan.FromMilliseconds(200),
        PositionCheckDelay: TimeSpan.FromSeconds(1),
        LongestRetry: TimeSpan.FromSeconds(2),
        GiveUpAfter: TimeSpan.FromSeconds(30),
        MaxHeld: 100);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSequencerHost _host = new();
    private readonly MessageSequencer _sequencer;

    public MessageSequencerTests() => _sequencer = new MessageSequencer(_time, Timing, _host);

    public void Dispose() => _sequencer.Dispose();

    [Fact]
    public void Messages_in_order_pass_and_repeats_are_dropped()
    {
        _sequencer.Join(0);
        Accept(1, 2, 2, 3, 1);

        Assert.Equal([1L, 2, 3], _host.Seqs);
        Assert.Equal(3, _sequencer.LastDelivered);
    }

    [Fact]
    public void Messages_before_the_first_join_wait_and_those_it_covers_are_dropped()
    {
        Accept(4, 2, 3, 5);
        Assert.Empty(_host.Written);

        Assert.True(_sequencer.Join(3));

        Assert.Equal([4L, 5], _host.Seqs);
    }

    [Fact]
    public void A_later_join_below_the_start_is_refused_and_one_above_it_shows_a_gap()
    {
        Assert.True(_sequencer.Join(5));

        Assert.False(_sequencer.Join(4));
        Assert.True(_sequencer.Join(7));
        _time.Advance(Timing.GapWait);

        Assert.Equal([(6L, 7L)], _host.Fills);
    }

    [Fact]
    public void A_message_ahead_of_a_gap_waits_for_the_missing_one_without_a_read()
    {
        _sequencer.Join(0);
        Accept(1, 3, 4);
        Assert.Equal([1L], _host.Seqs);

        _time.Advance(Timing.GapWait / 2);
        Accept(2);
        _time.Advance(Timing.GapWait);

        Assert.Equal([1L, 2, 3, 4], _host.Seqs);
        Assert.Empty(_host.Fills);
    }

    [Fact]
    public void A_gap_still_open_after_the_wait_is_read_whole_and_the_held_messages_follow()
    {
        _sequencer.Join(0);
        Accept(1, 5, 6);

        _time.Advance(Timing.GapWait - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_host.Fills);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([(2L, 6L)], _host.Fills);
        Accept(2, 3, 4, 5, 6);
        _sequencer.FillEnded(completed: true);

        Assert.Equal([1L, 2, 3, 4, 5, 6], _host.Seqs);
    }

    [Fact]
    public void A_gap_that_opens_while_a_fill_runs_gets_its_own_wait_and_read_instead_of_being_skipped()
    {
        _sequencer.Join(0);
        Accept(1, 3);
        _time.Advance(Timing.GapWait);
        Assert.Equal([(2L, 3L)], _host.Fills);

        // While the first fill is on its way, pushes overtake each other again: 5 comes before 4.
        Accept(5);
        Accept(2);
        _sequencer.FillEnded(completed: true);
        Assert.Equal([1L, 2, 3], _host.Seqs);

        // The late push arrives within the new gap's own wait: nothing is skipped, nothing read.
        _time.Advance(Timing.GapWait / 2);
        Accept(4);
        _time.Advance(Timing.GapWait);

        Assert.Equal([1L, 2, 3, 4, 5], _host.Seqs);
        Assert.Single(_host.Fills);
        Assert.DoesNotContain(_host.Written, w => w.StartsWith("resync", StringComparison.Ordinal));
    }

    [Fact]
    public void Seqs_gone_from_the_source_become_one_resync_in_their_place()
    {
        _sequencer.Join(0);
        Accept(1, 9);
        _time.Advance(Timing.GapWait);

        _sequencer.Lost(5);
        Accept(6, 7, 8);
        _sequencer.FillEnded(completed: true);

        Assert.Equal(["1", "resync:5", "6", "7", "8", "9"], _host.Written);
    }

    [Fact]
    public void Messages_held_in_a_range_the_source_no_longer_has_are_delivered_and_only_the_missing_seqs_resynced()
    {
        _sequencer.Join(0);
        Accept(3, 4, 7);
        _time.Advance(Timing.GapWait);

        // The source kept nothing below 9; this front holds 3, 4 and 7 itself.
        _sequencer.Lost(8);

        Assert.Equal(["resync:2", "3", "4", "resync:6", "7", "resync:8"], _host.Written);
    }

    [Fact]
    public void A_source_that_keeps_failing_is_tried_again_later_each_time_and_given_up_with_a_resync()
    {
        _sequencer.Join(0);
        Accept(1, 4);
        _time.Advance(Timing.GapWait);
        Assert.Single(_host.Fills);

        var waits = new List<TimeSpan>();
        var started = _time.GetUtcNow();
        while (_host.Written.Count == 1)
        {
            var fills = _host.Fills.Count;
            var before = _time.GetUtcNow();
            _sequencer.FillEnded(completed: false);
            while (_host.Fills.Count == fills && _host.Written.Count == 1)
            {
                _time.Advance(TimeSpan.FromMilliseconds(50));
            }

            waits.Add(_time.GetUtcNow() - before);
        }

        Assert.Equal(["1", "resync:3", "4"], _host.Written);
        Assert.InRange(_time.GetUtcNow() - started, Timing.GiveUpAfter, Timing.GiveUpAfter + Timing.LongestRetry);
        Assert.True(waits[1] > waits[0], "each retry waits longer");
        Assert.All(waits, w => Assert.True(w <= Timing.LongestRetry + TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void The_position_is_asked_once_after_the_stream_went_quiet_and_not_again_while_idle()
    {
        _sequencer.Join(0);
        Accept(1);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        Accept(2);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(0, _host.PositionChecks);

        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(1, _host.PositionChecks);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, _host.PositionChecks);
    }

    [Fact]
    public void Lost_pushes_at_the_end_of_a_burst_are_read_once_the_position_shows_them()
    {
        _sequencer.Join(0);
        Accept(1, 2);
        _time.Advance(Timing.PositionCheckDelay);
        Assert.Equal(1, _host.PositionChecks);

        // The source is at 4: 3 and 4 never came.
        _sequencer.Expect(4);
        _time.Advance(Timing.GapWait);

        Assert.Equal([(3L, 4L)], _host.Fills);
    }

    [Fact]
    public void A_position_that_was_already_delivered_opens_no_gap()
    {
        _sequencer.Join(0);
        Accept(1, 2);

        _sequencer.Expect(2);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(_host.Fills);
    }

    [Fact]
    public void Too_many_held_messages_give_the_gap_up_with_a_resync_instead_of_growing()
    {
        _sequencer.Join(0);
        for (var seq = 3; seq <= 3 + Timing.MaxHeld; seq++)
        {
            Accept(seq);
        }

        Assert.Equal("resync:2", _host.Written[0]);
        Assert.Equal(Enumerable.Range(3, Timing.MaxHeld + 1).Select(s => (long)s), _host.Seqs);
    }

    [Fact]
    public void After_dispose_nothing_is_delivered_or_asked()
    {
        _sequencer.Join(0);
        Accept(2);
        _sequencer.Dispose();

        Accept(1);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(_host.Written);
        Assert.Empty(_host.Fills);
        Assert.Equal(0, _host.PositionChecks);
    }

    private void Accept(params long[] seqs)
    {
        foreach (var seq in seqs)
        {
            _sequencer.Accept(RecordingSequencerHost.Message(seq));
        }
    }
}
