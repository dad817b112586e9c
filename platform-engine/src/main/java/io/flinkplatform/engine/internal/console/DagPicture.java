package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A workflow's DAG drawn as an SVG picture, in pure Java: tasks in layers from left to right (a
 * task's layer is the longest path to it from a task without upstream), ordered within a layer by
 * the mean position of their upstream tasks then of their downstream tasks (two sweeps each way),
 * boxes with the task's id and type, edges as curves with arrowheads and a label for the edges that
 * fire on something else than success. Given the states of a run's tasks, boxes are coloured by
 * state and carry it in {@code data-state}. Every name is escaped; the picture has no script and no
 * style element, so it may be inlined in a page under the console's content security policy.
 */
public final class DagPicture {
  static final int BOX_H = 44;
  static final int GAP_X = 70;
  static final int GAP_Y = 22;
  static final int PAD = 16;
  static final int MAX_CHARS = 30;

  private DagPicture() {}

  /** The workflow's picture without states. */
  public static String svg(Workflow workflow) {
    return svg(workflow, Map.of());
  }

  /**
   * The workflow's picture with each task coloured by its state in {@code states} (tasks not in the
   * map are drawn as not started).
   */
  public static String svg(Workflow workflow, Map<String, TaskState> states) {
    List<String> ids = workflow.tasks().stream().map(TaskDefinition::id).toList();
    Map<String, TaskDefinition> byId = new LinkedHashMap<>();
    workflow.tasks().forEach(t -> byId.put(t.id(), t));
    List<Edge> edges =
        workflow.edges().stream()
            .filter(e -> byId.containsKey(e.from()) && byId.containsKey(e.to()))
            .toList();
    Map<String, Integer> layer = layers(ids, edges);
    List<List<String>> layers = order(ids, edges, layer);

    int widest = 8;
    for (TaskDefinition t : workflow.tasks()) {
      int typeLine = label(t).length() + (states.isEmpty() ? 0 : 18);
      widest = Math.max(widest, Math.min(MAX_CHARS, Math.max(t.id().length(), typeLine)));
    }
    int boxW = 24 + widest * 7;
    int tallest = layers.stream().mapToInt(List::size).max().orElse(0);
    int width =
        PAD * 2 + Math.max(1, layers.size()) * boxW + Math.max(0, layers.size() - 1) * GAP_X;
    int height = PAD * 2 + Math.max(1, tallest) * BOX_H + Math.max(0, tallest - 1) * GAP_Y;

    Map<String, int[]> at = new HashMap<>();
    for (int l = 0; l < layers.size(); l++) {
      List<String> col = layers.get(l);
      int colH = col.size() * BOX_H + Math.max(0, col.size() - 1) * GAP_Y;
      int top = PAD + (height - 2 * PAD - colH) / 2;
      for (int i = 0; i < col.size(); i++) {
        at.put(col.get(i), new int[] {PAD + l * (boxW + GAP_X), top + i * (BOX_H + GAP_Y)});
      }
    }

    StringBuilder b = new StringBuilder(1024 + ids.size() * 400);
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dag\" role=\"img\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" aria-label=\"")
        .append(Html.esc("DAG of " + workflow.name()))
        .append("\">");
    b.append("<defs><marker id=\"dag-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\"")
        .append(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6b7385\"/></marker></defs>");
    for (Edge e : edges) {
      edge(b, e, at.get(e.from()), at.get(e.to()), boxW);
    }
    for (String id : ids) {
      node(b, byId.get(id), states.get(id), at.get(id), boxW);
    }
    return b.append("</svg>").toString();
  }

  /** Longest path from a source; tasks on a cycle (not in a valid workflow) go last. */
  static Map<String, Integer> layers(List<String> ids, List<Edge> edges) {
    Map<String, Integer> indegree = new HashMap<>();
    Map<String, List<String>> down = new HashMap<>();
    ids.forEach(
        id -> {
          indegree.put(id, 0);
          down.put(id, new ArrayList<>());
        });
    for (Edge e : edges) {
      indegree.merge(e.to(), 1, Integer::sum);
      down.get(e.from()).add(e.to());
    }
    Map<String, Integer> layer = new LinkedHashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    ids.stream().filter(id -> indegree.get(id) == 0).forEach(ready::add);
    ids.forEach(id -> layer.put(id, 0));
    int placed = 0;
    int deepest = 0;
    while (!ready.isEmpty()) {
      String id = ready.poll();
      placed++;
      deepest = Math.max(deepest, layer.get(id));
      for (String next : down.get(id)) {
        layer.put(next, Math.max(layer.get(next), layer.get(id) + 1));
        if (indegree.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    if (placed < ids.size()) {
      int last = deepest + 1;
      ids.stream().filter(id -> indegree.get(id) > 0).forEach(id -> layer.put(id, last));
    }
    return layer;
  }

  /** The tasks of each layer, ordered by barycenters of their neighbours (two sweeps each way). */
  static List<List<String>> order(List<String> ids, List<Edge> edges, Map<String, Integer> layer) {
    int count = layer.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    List<List<String>> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      layers.add(new ArrayList<>());
    }
    ids.forEach(id -> layers.get(layer.get(id)).add(id));
    Map<String, List<String>> up = new HashMap<>();
    Map<String, List<String>> down = new HashMap<>();
    for (Edge e : edges) {
      up.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
      down.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
    }
    for (int sweep = 0; sweep < 2; sweep++) {
      for (int l = 1; l < count; l++) {
        sortByBarycenter(layers.get(l), up, positions(layers.get(l - 1)));
      }
      for (int l = count - 2; l >= 0; l--) {
        sortByBarycenter(layers.get(l), down, positions(layers.get(l + 1)));
      }
    }
    return layers;
  }

  private static Map<String, Integer> positions(List<String> layer) {
    Map<String, Integer> pos = new HashMap<>();
    for (int i = 0; i < layer.size(); i++) {
      pos.put(layer.get(i), i);
    }
    return pos;
  }

  /** Stable sort by the mean position of neighbours in the adjacent layer; none keeps its place. */
  private static void sortByBarycenter(
      List<String> layer, Map<String, List<String>> neighbours, Map<String, Integer> adjacent) {
    Map<String, Double> key = new HashMap<>();
    for (int i = 0; i < layer.size(); i++) {
      String id = layer.get(i);
      double sum = 0;
      int n = 0;
      for (String o : neighbours.getOrDefault(id, List.of())) {
        Integer p = adjacent.get(o);
        if (p != null) {
          sum += p;
          n++;
        }
      }
      key.put(id, n == 0 ? i : sum / n);
    }
    layer.sort(Comparator.comparingDouble(key::get));
  }

  private static void edge(StringBuilder b, Edge e, int[] from, int[] to, int boxW) {
    double x1 = from[0] + boxW;
    double y1 = from[1] + BOX_H / 2.0;
    double x2 = to[0];
    double y2 = to[1] + BOX_H / 2.0;
    double bend = Math.max(24, (x2 - x1) / 2);
    boolean plain = e.on() == EdgeCondition.SUCCESS;
    b.append("<path class=\"edge\" data-from=\"")
        .append(Html.esc(e.from()))
        .append("\" data-to=\"")
        .append(Html.esc(e.to()))
        .append("\" d=\"M")
        .append(num(x1))
        .append(',')
        .append(num(y1))
        .append(" C")
        .append(num(x1 + bend))
        .append(',')
        .append(num(y1))
        .append(' ')
        .append(num(x2 - bend))
        .append(',')
        .append(num(y2))
        .append(' ')
        .append(num(x2))
        .append(',')
        .append(num(y2))
        .append("\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.5\"")
        .append(plain ? "" : " stroke-dasharray=\"5 3\"")
        .append(" marker-end=\"url(#dag-arrow)\"/>");
    if (!plain) {
      b.append("<text class=\"edge-label\" x=\"")
          .append(num((x1 + x2) / 2))
          .append("\" y=\"")
          .append(num((y1 + y2) / 2 - 4))
          .append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"#6b7385\">on ")
          .append(e.on().name().toLowerCase(Locale.ROOT))
          .append("</text>");
    }
  }

  private static void node(StringBuilder b, TaskDefinition t, TaskState state, int[] at, int boxW) {
    String[] colours = colours(state);
    b.append("<g class=\"node\" data-task=\"")
        .append(Html.esc(t.id()))
        .append("\" data-state=\"")
        .append(state == null ? "" : state.name())
        .append("\"><title>")
        .append(Html.esc(t.id() + " (" + t.type() + ")" + (state == null ? "" : ": " + state)))
        .append("</title><rect x=\"")
        .append(at[0])
        .append("\" y=\"")
        .append(at[1])
        .append("\" width=\"")
        .append(boxW)
        .append("\" height=\"")
        .append(BOX_H)
        .append("\" rx=\"6\" fill=\"")
        .append(colours[0])
        .append("\" stroke=\"")
        .append(colours[1])
        .append("\" stroke-width=\"1.5\"/>");
    b.append("<text x=\"")
        .append(at[0] + 10)
        .append("\" y=\"")
        .append(at[1] + 18)
        .append("\" font-size=\"12\" font-weight=\"600\" fill=\"#1d2330\">")
        .append(Html.esc(cut(t.id())))
        .append("</text><text x=\"")
        .append(at[0] + 10)
        .append("\" y=\"")
        .append(at[1] + 34)
        .append("\" font-size=\"11\" fill=\"#6b7385\">")
        .append(Html.esc(cut(label(t) + (state == null ? "" : " · " + lower(state)))))
        .append("</text></g>");
  }

  private static String label(TaskDefinition t) {
    return t.type();
  }

  private static String lower(TaskState s) {
    return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String cut(String s) {
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS - 1) + "…";
  }

  /** Fill and stroke for a state (null: not started or no run). */
  static String[] colours(TaskState state) {
    if (state == null) {
      return new String[] {"#ffffff", "#8c959f"};
    }
    return switch (state) {
      case SUCCESS -> new String[] {"#dafbe1", "#1a7f37"};
      case FAILED, UPSTREAM_FAILED -> new String[] {"#ffebe9", "#cf222e"};
      case RUNNING -> new String[] {"#ddf4ff", "#2f6feb"};
      case READY, WAITING -> new String[] {"#fff8c5", "#9a6700"};
      case SKIPPED, KILLED -> new String[] {"#f6f8fa", "#8c959f"};
    };
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
