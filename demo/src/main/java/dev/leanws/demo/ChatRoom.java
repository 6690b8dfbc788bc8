package dev.leanws.demo;

import dev.leanws.AttributeKey;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocket;
import dev.leanws.server.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat itself: who is here under which nickname, and what each line a client sends does.
 * {@link ChatServer} calls it from the connections' event handlers; calls for one connection
 * come in order on that connection's thread, calls for different connections concurrently.
 *
 * <p>Client to server, one text message per line: {@code /nick NAME}, {@code /who},
 * {@code /me ACTION}, {@code /msg NICK TEXT}, {@code /quit}, {@code /help}, or anything else
 * not starting with {@code /} to say it to everyone. Server to client, one JSON object per
 * message with a {@code type} (see {@code demo/README.md} for every type).
 *
 * <p>Joined members are subscribers of the topic {@value #ROOM} and of their own
 * {@code user:NICK} topic, so that with {@code --redis} (the server's topics spanning nodes) the
 * room spans every chat node and {@code /msg} reaches a user on another node. Nicknames,
 * {@code /who} and "no one here is called" stay per node: there is no shared presence.
 */
final class ChatRoom {

    private static final AttributeKey<String> NICK = AttributeKey.of("nick", String.class);
    private static final AttributeKey<RateLimiter> AMPLIFICATION = AttributeKey.of("amplification", RateLimiter.class);
    /** The window of the broadcast budget. */
    static final Duration BROADCAST_WINDOW = Duration.ofSeconds(10);
    private static final String HELP = "commands: /nick NAME (join or rename), /who (who is here), /me ACTION,"
            + " /msg NICK TEXT (private), /quit, /help; any other line is said to everyone";

    static final String ROOM = "chat";

    private final Topics topics;
    private final boolean clustered;
    private final int maxLength;
    private final int broadcastBudget;
    /** Joined connections by {@link ChatText#key nickname key}. */
    private final Map<String, WebSocket> members = new ConcurrentHashMap<>();

    /**
     * @param clustered       whether the topics reach other chat nodes (then /msg may go to a nick not here)
     * @param broadcastBudget bytes of broadcast work (message size × recipients on this node)
     *                        one connection may cause per {@link #BROADCAST_WINDOW}, in bursts
     */
    ChatRoom(Topics topics, boolean clustered, int maxLength, int broadcastBudget) {
        this.topics = topics;
        this.clustered = clustered;
        this.maxLength = maxLength;
        this.broadcastBudget = broadcastBudget;
    }

    /** A new connection: it joins with its first {@code /nick}. */
    void greet(WebSocket ws) {
        info(ws, "welcome to leanws chat: choose a nickname with /nick NAME (/help lists the commands)");
    }

    /** One line from a connection (already within the rate limit). */
    void onText(WebSocket ws, String line) {
        int length = line.codePointCount(0, line.length());
        if (length > maxLength) {
            error(ws, "message too long: " + length + " characters, at most " + maxLength);
            return;
        }
        if (ChatText.hasControl(line)) {
            error(ws, "control characters (line breaks, tabs, direction overrides) are not allowed");
            return;
        }
        if (!line.startsWith("/")) {
            say(ws, line);
            return;
        }
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1).strip();
        switch (command) {
            case "/nick" -> nick(ws, argument);
            case "/who" -> ws.send(Json.object("type", "who", "users", nicknames()));
            case "/me" -> action(ws, argument);
            case "/msg" -> privateMessage(ws, argument);
            case "/quit" -> ws.close(CloseStatus.NORMAL.withReason("quit"));
            case "/help" -> info(ws, HELP);
            default -> error(ws, "unknown command " + command + "; /help lists them");
        }
    }

    /** The connection is gone: if it had joined, everyone hears that it left and why. */
    void leave(WebSocket ws, int code, String reason) {
        String nick = nickOf(ws);
        if (nick != null && members.remove(key(nick), ws)) {
            // The reason is the peer's own words (its Close frame): relayed without controls.
            toMembers(Json.object("type", "leave", "nick", nick, "code", code,
                    "reason", ChatText.withoutControls(reason)));
        }
    }

    private void nick(WebSocket ws, String wanted) {
        Optional<String> problem = ChatText.nicknameProblem(wanted);
        if (problem.isPresent()) {
            error(ws, problem.get());
            return;
        }
        String old = nickOf(ws);
        if (wanted.equals(old)) {
            info(ws, "you are already " + wanted);
            return;
        }
        boolean sameKey = old != null && key(old).equals(key(wanted));   // only the case (or the look) changes
        if (!sameKey && members.get(key(wanted)) != null) {
            error(ws, "nickname " + wanted + " is taken");
            return;
        }
        if (!affordBroadcast(ws, Json.object("type", "nick", "old", old == null ? "" : old, "nick", wanted))) {
            return;
        }
        if (!sameKey && members.putIfAbsent(key(wanted), ws) != null) {
            error(ws, "nickname " + wanted + " is taken");
            return;
        }
        if (old != null && !sameKey) {
            members.remove(key(old), ws);
        }
        ws.attributes().set(NICK, wanted);
        if (old != null) {
            topics.unsubscribe(ws, userTopic(old));
        }
        topics.subscribe(ws, userTopic(wanted));
        if (old == null) {
            ws.send(Json.object("type", "welcome", "nick", wanted, "users", nicknames()));
            topics.publish(ROOM, Json.object("type", "join", "nick", wanted), ws);
            topics.subscribe(ws, ROOM);
        } else {
            toMembers(Json.object("type", "nick", "old", old, "nick", wanted));
        }
    }

    private void say(WebSocket ws, String text) {
        String from = requireJoined(ws);
        if (from == null) {
            return;
        }
        if (text.isBlank()) {
            error(ws, "empty message");
            return;
        }
        toMembers(ws, Json.object("type", "message", "from", from, "text", text));
    }

    private void action(WebSocket ws, String action) {
        String from = requireJoined(ws);
        if (from == null) {
            return;
        }
        if (action.isEmpty()) {
            error(ws, "usage: /me ACTION");
            return;
        }
        toMembers(ws, Json.object("type", "action", "from", from, "text", action));
    }

    private void privateMessage(WebSocket ws, String argument) {
        String from = requireJoined(ws);
        if (from == null) {
            return;
        }
        int space = argument.indexOf(' ');
        String to = space < 0 ? argument : argument.substring(0, space);
        String text = space < 0 ? "" : argument.substring(space + 1).strip();
        if (to.isEmpty() || text.isEmpty()) {
            error(ws, "usage: /msg NICK TEXT");
            return;
        }
        WebSocket recipient = members.get(key(to));
        if (recipient == null && !clustered) {
            error(ws, "no one here is called " + to);
            return;
        }
        String message = Json.object("type", "private", "from", from,
                "to", recipient != null ? nickOf(recipient) : to, "text", text);
        if (recipient != null) {
            // Never waits for the recipient: a send to another connection is refused at once
            // when its queue is full (it stopped reading), so one stalled user cannot stall the sender.
            if (!recipient.send(message)) {
                error(ws, nickOf(recipient) + " is not reading; message not delivered");
                return;
            }
        } else {
            topics.publish(userTopic(to), message);   // to the node where that nick is, if any
        }
        if (recipient != ws) {
            ws.send(message);   // the sender sees what it sent, as in every chat client
        }
    }

    /** The sender's nickname, or null after telling it to choose one first. */
    private String requireJoined(WebSocket ws) {
        String nick = nickOf(ws);
        if (nick == null) {
            error(ws, "choose a nickname first: /nick NAME");
        }
        return nick;
    }

    private void toMembers(String json) {
        topics.publish(ROOM, json);
    }

    /** Publishes what {@code from} said to the room, within {@code from}'s broadcast budget. */
    private void toMembers(WebSocket from, String json) {
        if (affordBroadcast(from, json)) {
            toMembers(json);
        }
    }

    /**
     * Charges {@code from} for a broadcast of {@code json} to every member here (its bytes
     * times the recipients: the server's work, which one short line multiplies by the room's
     * size); past the budget the line is refused with an error, so 4 MB of input cannot become
     * hundreds of MB of writes.
     */
    private boolean affordBroadcast(WebSocket from, String json) {
        RateLimiter budget = from.attributes().computeIfAbsent(AMPLIFICATION,
                () -> new RateLimiter(broadcastBudget, BROADCAST_WINDOW, System.nanoTime()));
        long cost = (long) json.getBytes(StandardCharsets.UTF_8).length * Math.max(1, members.size());
        if (budget.tryAcquire(System.nanoTime(), cost)) {
            return true;
        }
        error(from, "you are sending more than the room can carry; wait a few seconds");
        return false;
    }

    private static String userTopic(String nick) {
        return "user:" + key(nick);
    }

    private List<String> nicknames() {
        return members.values().stream().map(ChatRoom::nickOf).filter(n -> n != null)
                .sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }

    private static String nickOf(WebSocket ws) {
        return ws.attributes().get(NICK).orElse(null);
    }

    private static String key(String nick) {
        return ChatText.key(nick);
    }

    private static void info(WebSocket ws, String text) {
        ws.send(Json.object("type", "info", "text", text));
    }

    private static void error(WebSocket ws, String text) {
        ws.send(Json.object("type", "error", "text", text));
    }
}
