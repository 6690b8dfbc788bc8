package dev.leanws.demo;

import dev.leanws.AttributeKey;
import dev.leanws.CloseStatus;
import dev.leanws.WebSocket;
import dev.leanws.server.Topics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

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

    /** 1 to 20 letters, digits, {@code _} or {@code -}; compared ignoring case. */
    private static final Pattern NICK_SYNTAX = Pattern.compile("[\\p{L}\\p{N}_-]{1,20}");
    private static final AttributeKey<String> NICK = AttributeKey.of("nick", String.class);
    private static final String HELP = "commands: /nick NAME (join or rename), /who (who is here), /me ACTION,"
            + " /msg NICK TEXT (private), /quit, /help; any other line is said to everyone";

    static final String ROOM = "chat";

    private final Topics topics;
    private final boolean clustered;
    private final int maxLength;
    /** Joined connections by lower-case nickname. */
    private final Map<String, WebSocket> members = new ConcurrentHashMap<>();

    /** @param clustered whether the topics reach other chat nodes (then /msg may go to a nick not here) */
    ChatRoom(Topics topics, boolean clustered, int maxLength) {
        this.topics = topics;
        this.clustered = clustered;
        this.maxLength = maxLength;
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
            toMembers(Json.object("type", "leave", "nick", nick, "code", code, "reason", reason));
        }
    }

    private void nick(WebSocket ws, String wanted) {
        if (!NICK_SYNTAX.matcher(wanted).matches()) {
            error(ws, "a nickname is 1 to 20 letters, digits, '_' or '-'");
            return;
        }
        String old = nickOf(ws);
        if (wanted.equals(old)) {
            info(ws, "you are already " + wanted);
            return;
        }
        boolean sameKey = old != null && key(old).equals(key(wanted));   // only the case changes
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
        toMembers(Json.object("type", "message", "from", from, "text", text));
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
        toMembers(Json.object("type", "action", "from", from, "text", action));
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
            recipient.send(message);
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
        return nick.toLowerCase(Locale.ROOT);
    }

    private static void info(WebSocket ws, String text) {
        ws.send(Json.object("type", "info", "text", text));
    }

    private static void error(WebSocket ws, String text) {
        ws.send(Json.object("type", "error", "text", text));
    }
}
